-- One indicator's time series for every unit: received dossiers at district level.
SELECT unit_name, period_id, value_num
FROM indicator_history
WHERE indicator_key = 'III.7.so-ho-so-tthc-do-ubnd-cap-huyen-tiep-nhan'
ORDER BY unit_name, sort_key;
