-- One database per service: each owns its data and reaches the others only through NATS (and the studio,
-- which holds only who may sign in, through their HTTP APIs).
CREATE DATABASE inkline_conversation;
CREATE DATABASE inkline_payments;
CREATE DATABASE inkline_calendar;
CREATE DATABASE inkline_campaigns;
CREATE DATABASE inkline_notifier;
CREATE DATABASE inkline_studio;
