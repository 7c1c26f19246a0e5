-- One indicator across all units for one period, one column per unit (a wide pivot).
PIVOT (
    SELECT unit_name, value_num
    FROM indicator_history
    WHERE indicator_key = 'III.7.so-ho-so-tthc-do-ubnd-cap-huyen-tiep-nhan' AND period_id = '2023-Q1'
) ON unit_name USING first(value_num);
