-- The statistics cells (V50, V51) and device counts (V52) made again from the sessions after
-- the bulk load: the load's deltas are dropped and every cell computed from the rows (V53).
select rv_stats_refill();
