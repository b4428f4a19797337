-- API tokens have a scope (read: reads only; write: also writes as their user) and an expiry.
-- Tokens made before scopes keep what they could do (write) and expire 90 days after they
-- were made.
ALTER TABLE api_token ADD COLUMN scope TEXT NOT NULL DEFAULT 'write';
ALTER TABLE api_token ADD COLUMN expires_at TEXT;
UPDATE api_token SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+90 days');
-- The audit log names the token a change was made with (none for a browser session or the
-- command line). No reference: the log outlives revoked tokens.
ALTER TABLE audit_log ADD COLUMN token_id INTEGER;
