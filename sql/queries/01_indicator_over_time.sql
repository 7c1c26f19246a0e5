-- One indicator through time for every unit: received dossiers at district level.
SELECT unit_name, period_year, period_quarter, value_num
FROM indicator_history
WHERE indicator_name = 'Số hồ sơ TTHC do UBND cấp huyện tiếp nhận'
ORDER BY unit_name, period_year, period_quarter;
