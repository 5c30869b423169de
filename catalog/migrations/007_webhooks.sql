-- Webhook subscriptions: an API key's receiver of the public change feed.
-- Each subscription is a consumer of the change log with a position of its
-- own; a delivery that fails is retried with exponential backoff
-- (next_attempt_at), and after max failures in a row the subscription is
-- disabled until its owner enables it again, when it resumes from its
-- position (a replay of what it missed). The secret signs the messages,
-- so it is kept as it is (like a password manager's, not a password).
CREATE TABLE webhook_subscriptions (
    id              uuid PRIMARY KEY,
    key_id          uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    url             text NOT NULL CHECK (char_length(url) <= 2000),
    secret          text NOT NULL,
    position        bigint NOT NULL,
    failures        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    leased_until    timestamptz,
    disabled_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX webhook_subscriptions_key_idx ON webhook_subscriptions (key_id, id);
CREATE INDEX webhook_subscriptions_due_idx ON webhook_subscriptions (next_attempt_at) WHERE disabled_at IS NULL;

-- The delivery log: every attempt, kept with its subscription.
CREATE TABLE webhook_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    message_id      text NOT NULL,
    first_position  bigint NOT NULL,
    last_position   bigint NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    status          integer NOT NULL,
    error           text NOT NULL DEFAULT '',
    duration_ms     integer NOT NULL
);

CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, id);
