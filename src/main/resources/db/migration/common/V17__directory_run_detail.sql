-- What the text of a run's message names: the host and port, the certificate's subject,
-- the base DN, ... (the code stays in message).
alter table directory_run add column message_detail varchar(1000);
