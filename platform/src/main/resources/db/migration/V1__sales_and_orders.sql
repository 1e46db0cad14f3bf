-- Sales: what is sold, how much, when, and the rules of buying it.
create table sales (
  id                       bigint primary key,
  item                     text        not null check (length(item) between 1 and 200),
  initial_stock            integer     not null check (initial_stock > 0),
  price_cents              bigint      not null check (price_cents >= 0),
  starts_at                timestamptz not null,
  ends_at                  timestamptz not null,
  per_user_limit           integer     not null default 1 check (per_user_limit > 0),
  payment_timeout_seconds  integer     not null check (payment_timeout_seconds between 1 and 86400),
  created_at               timestamptz not null default now(),
  check (ends_at > starts_at)
);

-- Orders: one row per admission, written idempotently by the order workers (primary key = order id).
-- version drives optimistic locking: payment, user cancellation and the payment deadline race on it.
create table orders (
  id             bigint primary key,
  sale_id        bigint      not null references sales (id),
  user_id        text        not null,
  quantity       integer     not null check (quantity > 0),
  status         text        not null check (status in ('PENDING_PAYMENT', 'PAID', 'CANCELLED', 'REJECTED')),
  version        integer     not null default 0,
  admitted_at    timestamptz not null,
  created_at     timestamptz not null default now(),
  expires_at     timestamptz not null,
  payment_ref    text,
  paid_at        timestamptz,
  cancelled_at   timestamptz,
  cancel_reason  text check (cancel_reason in ('TIMEOUT', 'USER')),
  reject_reason  text,
  check ((status = 'PAID') = (paid_at is not null)),
  check ((status = 'CANCELLED') = (cancelled_at is not null))
);

-- The audit counts orders of a sale by status; the per-user rule counts a user's orders in a sale.
create index orders_by_sale_status on orders (sale_id, status);
create index orders_by_sale_user on orders (sale_id, user_id);
