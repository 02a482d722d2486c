-- The forecast notice (R20): one watch row per pool, locked while a forecast check opens or
-- closes its episode, so that two nodes never send two notices of one episode.
insert into notification_watch (pool, kind) values ('PRIMARY', 'FORECAST');
insert into notification_watch (pool, kind) values ('EXTRANET', 'FORECAST');
