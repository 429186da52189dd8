//! The integration suite: the whole application driven in-process through
//! HTTP, on SQLite by default and on PostgreSQL with `TEST_DATABASE_URL`.

mod accountability;
mod actions;
mod agenda;
mod audit;
mod auth;
mod calendars;
mod cli;
mod commands;
mod concurrency;
mod demo;
mod docs;
mod errors;
mod explain;
mod forums;
mod health;
mod housekeeping;
mod matrix;
mod meetings;
mod memberships;
mod minutes;
mod notifications;
mod openapi;
mod organisations;
mod plans;
mod raised_issues;
mod readme;
mod regions;
mod report_counters;
mod roles;
mod round_trips;
mod rsvps;
mod support;
mod tokens;
mod users;
