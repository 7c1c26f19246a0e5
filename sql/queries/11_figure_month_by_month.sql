-- One statistic stated in the text, month by month (or quarter by quarter), for one province's units:
-- here the one its reports restate most often; put a figure_key of your own in its place.
SELECT unit_name, period_id, as_of, value_raw, value_num, measure, sentence
FROM figure_history
WHERE province = (SELECT province FROM figure_history GROUP BY province ORDER BY count(*) DESC LIMIT 1)
  AND figure_key = (
      SELECT figure_key FROM figure_history
      GROUP BY figure_key ORDER BY count(DISTINCT period_id) DESC, count(*) DESC, figure_key LIMIT 1)
ORDER BY unit_name, sort_key, as_of;
