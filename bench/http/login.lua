-- wrk script for POST /api/v1/auth/login: every request carries the same JSON credentials.
-- bench/http/run.sh registers the account and passes it in BENCH_EMAIL / BENCH_PASSWORD.
-- Failed logins (401, 429) show up in wrk's "Non-2xx or 3xx responses" line, which run.sh checks.
local email = os.getenv("BENCH_EMAIL") or "bench@example.com"
local password = os.getenv("BENCH_PASSWORD") or "bench-password-0123456789"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"email":"%s","password":"%s"}', email, password)
