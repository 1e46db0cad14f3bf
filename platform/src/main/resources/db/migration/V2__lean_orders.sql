-- A lean orders table: every index and constraint kept here is needed by a query; what V1 had beyond that cost
-- PostgreSQL CPU on every row the order workers write (measured: 200,000 rows in batches of 5,000 took 2.4 s of
-- backend CPU with V1's schema, 1.0 s without the two below; BENCHMARKS.md, "issue 15").
--
-- Dropped: the foreign key to sales. Rows are written only for orders admitted against a sale the gateway loaded from
-- this table into Redis, and a worker claims each order against that sale's reservations first: an order of a sale
-- that does not exist has no reservation and is dead-lettered, never written (OrderWorkerIT). Sales are never deleted.
alter table orders drop constraint if exists orders_sale_id_fkey;

-- Dropped: (sale_id, user_id). The per-user limit is enforced by the admission script in Redis; the audit's
-- per-user check reads a whole sale by sale_id and groups it, which the index below serves.
drop index if exists orders_by_sale_user;

-- Replaced: (sale_id, status) by (sale_id, id). Counting a sale by status and the audit read every row of the sale
-- either way; a sale's order listing reads them in id order, page by page, which only this one serves.
drop index if exists orders_by_sale_status;
create index if not exists orders_by_sale on orders (sale_id, id);

-- Kept: the primary key (order reads, the workers' idempotent insert, payment's and the delay service's
-- compare-and-set by id) and the check constraints (about 0.1 us a row, and they guard every status transition).
