// The Redis side of the limiter: three atomic scripts over one creator's keys (all `{userId}`-tagged,
// so one hash slot: Redis Cluster runs them unchanged). Time is always the server's `TIME`: every
// Lambda instance shares that one clock, so a skewed instance clock cannot over-admit. Redis 7
// replicates scripts as effects, so reading TIME is allowed. Replies are integers and strings only
// (Redis truncates Lua floats); all arithmetic is on integers (see `units()` in config.ts).
//
// The model these scripts implement (and `model.ts` mirrors, line for line):
// - A *send* is a grant made at server time `now`; only grants are recorded, never future slots,
//   so both invariants hold on the recorded times whatever SQS does with delays.
// - Window log: the grant times still inside the window, packed in the state string; a grant needs
//   fewer than perWindow of them in (now - W, now].
// - Token bucket: level in units (one token = W units, refill perWindow units per ms, capacity
//   burst × W); a grant costs one token.
// - The line: a FIFO of waiting messages per creator (ticket = seq). Every decision first *drains*
//   the line: grants its head(s) while both constraints allow, whichever message's wake-up is
//   running. So the order of sends is the order the limiter first saw messages, even when SQS
//   delivers delayed copies out of order, and a waiting message keeps its place (reserved) without
//   re-polling. Bodies of waiting messages are kept so any wake-up can send them. The line does
//   not move while a send of the creator is in flight, so POSTs from concurrent invocations cannot
//   overtake one another on the way to OnlyFans.
// - Idempotency: `done` remembers sent / dead-lettered messageIds for the idempotency TTL; the
//   in-flight leases (packed in the state string) hold granted sends until the OnlyFans POST
//   finishes (a lease: a crashed invocation's message goes back to the head of the line when it
//   expires). A POST failure puts the message back at the head and pauses the line (backoff /
//   Retry-After): retried, never suppressed.
// - Cost: the whole per-creator state (bucket, window log, line size, in-flight leases) is one
//   MessagePack string (Redis' built-in cmsgpack: no text formatting or parsing in Lua), read with
//   one GET and written with one SET (PX on creation and on TTL refreshes, KEEPTTL otherwise), so
//   the common decision (a new message, nobody waiting, limits allow) is TIME, GET, ZSCORE (done)
//   and SET; the line size is kept as a counter (nln) updated from ZADD / ZREM return values, so an
//   empty line costs nothing; the other keys' TTLs are refreshed every half TTL (xp) and whenever a
//   script may have created one of them.

/*
 * KEYS[1] state    string: cmsgpack.pack(lvl, ts, seq, nb, nln, xp, log, leases) where lvl = bucket
 *                  units, ts = ms of lvl, seq = last ticket, nb = line paused until (ms), nln = size of
 *                  the line, xp = ms of the last TTL refresh, log = array of the grant times in the
 *                  window (ms, ascending), leases = map messageId -> ms when its send lease expires
 *                  (the sends in flight); absent = a new creator (full bucket, nothing recorded)
 * KEYS[2] line     zset: messageId -> ticket, the FIFO of waiting messages
 * KEYS[3] body     hash: messageId -> "<ticket>:<failedAttempts>:<body>" while waiting or in flight
 * KEYS[4] done     zset: messageId -> ms until which it counts as sent / dead-lettered
 */

/** Shared prologue: state, window trim, bucket refill, expired leases (`now` is set before). */
const PROLOGUE = `
local N = tonumber(ARGV[1])
local W = tonumber(ARGV[2])
local cap = tonumber(ARGV[3]) * W
local keyTtl = tonumber(ARGV[4])
local cost = W
local raw = redis.call('GET', KEYS[1])
local lvl, ts, seq, nb, nln, xp, lg, fl
if raw then
  lvl, ts, seq, nb, nln, xp, lg, fl = cmsgpack.unpack(raw)
else
  lvl, ts, seq, nb, nln, xp, lg, fl = cap, now, 0, 0, 0, 0, {}, {}
end
nln = math.max(0, nln)
local log = {}
for i = 1, #lg do
  local v = lg[i]
  if v > now - W then log[#log + 1] = v end
end
table.sort(log)
local nin = 0
for _ in pairs(fl) do nin = nin + 1 end
local refresh = false
if now > ts then
  lvl = math.min(cap, lvl + N * (now - ts))
  ts = now
end
if nin > 0 then
  local expired = {}
  for fid, x in pairs(fl) do
    if x <= now then expired[#expired + 1] = fid end
  end
  for i = 1, #expired do
    local v = redis.call('HGET', KEYS[3], expired[i])
    if v then
      nln = nln + redis.call('ZADD', KEYS[2], tonumber(string.match(v, '^(%d+):')), expired[i])
      refresh = true
    end
    fl[expired[i]] = nil
    nin = nin - 1
  end
end
`;

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const PACKED = "cmsgpack.pack(lvl, ts, seq, nb, nln, xp, log, fl)";

/** Writes the state; refreshes every TTL when a key may have been created or the last refresh is old. */
const EPILOGUE = `
if refresh or now - xp > keyTtl / 2 then
  xp = now
  redis.call('SET', KEYS[1], ${PACKED}, 'PX', keyTtl)
  for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], keyTtl) end
else
  redis.call('SET', KEYS[1], ${PACKED}, 'KEEPTTL')
end
`;

/**
 * Stale check before any side effect: a command retried after its caller gave up must not act.
 * The time read here is the decision's time (one TIME call either way).
 */
const STALE_CHECK_AND_NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local deadline = tonumber(ARGV[9])
if deadline > 0 and now > deadline then return {5, 0, now, 0} end
`;

/**
 * decide: admit or place one message, draining the creator's line.
 *
 * KEYS[1..4] as described above (state, line, body, done)
 * ARGV[1] perWindow
 * ARGV[2] windowMs
 * ARGV[3] burst
 * ARGV[4] keyTtlMs (every key's TTL)
 * ARGV[5] leaseMs (how long a granted send may take before it returns to the line)
 * ARGV[6] messageId
 * ARGV[7] failedAttempts carried by this copy (stored only when the message is new)
 * ARGV[8] body (stored so that any wake-up can send it)
 * ARGV[9] deadlineMs: server time after which the call is stale (a retried command) and does nothing; 0 = none
 * ARGV[10] busyWaitMs: while another send of this creator is in flight the line does not move (so
 *          POSTs cannot overtake each other across invocations); a waiting message re-asks this much later
 *
 * Reply: {status, waitMs, nowMs, known, id1, attempts1, body1, id2, ...} where status is
 * 1 granted (this message is among the grants), 2 wait (in line; waitMs = projected grant - now),
 * 3 done (already sent or dead-lettered), 4 busy (being sent elsewhere; waitMs = lease left),
 * 5 stale (deadline passed, nothing changed); known = 1 when the messageId was already in the line,
 * in flight or done; then one triple per grant, in line order: the caller must POST each of them.
 */
export const DECIDE_LUA = `${STALE_CHECK_AND_NOW}${PROLOGUE}
local lease = tonumber(ARGV[5])
local id = ARGV[6]
local known = 0
local busy = nin > 0
local doneUntil = tonumber(redis.call('ZSCORE', KEYS[4], id))
local isDone = doneUntil ~= nil and doneUntil > now
local inFlight = fl[id]
if isDone or inFlight or (nln > 0 and redis.call('ZSCORE', KEYS[2], id)) then
  known = 1
elseif not busy and now >= nb and lvl >= cost and nln == 0 and #log < N then
  -- Fast path: a new message, nobody waiting or sending, both limits allow: granted at once.
  log[#log + 1] = now
  fl[id] = now + lease
  lvl = lvl - cost
  if xp == 0 then
    -- A new creator: only the state exists.
    xp = now
    redis.call('SET', KEYS[1], ${PACKED}, 'PX', keyTtl)
  else
    ${EPILOGUE}
  end
  return {1, 0, now, 0, id, tonumber(ARGV[7]), ARGV[8]}
else
  seq = seq + 1
  refresh = true
  nln = nln + redis.call('ZADD', KEYS[2], seq, id)
  redis.call('HSET', KEYS[3], id, seq .. ':' .. ARGV[7] .. ':' .. ARGV[8])
end
local reply = {0, 0, now, known}
local mine = false
if now >= nb and not busy then
  while lvl >= cost and #log < N do
    local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
    if not head then break end
    nln = nln - redis.call('ZREM', KEYS[2], head)
    log[#log + 1] = now
    fl[head] = now + lease
    lvl = lvl - cost
    local v = redis.call('HGET', KEYS[3], head) or '0:0:'
    local a, b = string.match(v, '^%d+:(%d+):(.*)$')
    reply[#reply + 1] = head
    reply[#reply + 1] = tonumber(a)
    reply[#reply + 1] = b
    if head == id then mine = true end
  end
end
if mine then
  reply[1] = 1
elseif isDone then
  reply[1] = 3
elseif inFlight then
  reply[1] = 4
  reply[2] = inFlight - now
else
  -- Project the line forward from the current state: each message ahead takes the earliest
  -- time both constraints allow, in order. That time is this message's reserved place.
  reply[1] = 2
  local times = {}
  for i = 1, #log do times[i] = log[i] end
  local line = redis.call('ZRANGE', KEYS[2], 0, -1)
  local L, T0, at = lvl, ts, math.max(now, nb, ts)
  if busy then at = math.max(at, now + tonumber(ARGV[10])) end
  for i = 1, #line do
    local s = at
    if L + N * (s - T0) < cost then s = T0 + math.floor((cost - L + N - 1) / N) end
    local k = #times
    if k >= N and times[k - N + 1] + W > s then s = times[k - N + 1] + W end
    if s < at then s = at end
    L = math.min(cap, L + N * (s - T0)) - cost
    T0 = s
    at = s
    times[k + 1] = s
    if line[i] == id then break end
  end
  reply[2] = at - now
end
${EPILOGUE}
return reply
`;

/**
 * finish: record the outcome of a granted send.
 *
 * KEYS[1..4] as in DECIDE_LUA
 * ARGV[1] perWindow
 * ARGV[2] windowMs
 * ARGV[3] burst
 * ARGV[4] keyTtlMs
 * ARGV[5] messageId
 * ARGV[6] outcome: 1 sent, 2 dead-lettered (both end in \`done\`), 3 failed (back to the head of the line,
 *         one more failed attempt, line paused), 4 released unsent (back to the head, nothing counted)
 * ARGV[7] doneTtlMs (idempotency memory)
 * ARGV[8] pauseMs: for outcome 3, the line waits this long (backoff, at least Retry-After)
 *
 * Reply: {nowMs, failedAttempts}: failed attempts after this call; 0 for outcomes 1 and 2; -1 when a
 * failed or released message is unknown here (its own SQS copy must carry the retry).
 */
export const FINISH_LUA = `${NOW}
local id = ARGV[5]
local outcome = tonumber(ARGV[6])
if outcome <= 2 then
  -- The common case, kept short: the message leaves flight, line and bodies for \`done\`; the
  -- state string is rewritten only when it changes (window and bucket untouched).
  local l = redis.call('ZREM', KEYS[2], id)
  redis.call('HDEL', KEYS[3], id)
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
  redis.call('ZADD', KEYS[4], now + tonumber(ARGV[7]), id)
  redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[4]))
  local raw = redis.call('GET', KEYS[1])
  if raw then
    local lvl, ts, seq, nb, nln, xp, lg, fl = cmsgpack.unpack(raw)
    if fl[id] or l > 0 then
      fl[id] = nil
      redis.call('SET', KEYS[1], cmsgpack.pack(lvl, ts, seq, nb, math.max(0, nln - l), xp, lg, fl), 'KEEPTTL')
    end
  end
  return {now, 0}
end
${PROLOGUE}
fl[id] = nil
local v = redis.call('HGET', KEYS[3], id)
local attempts = 0
if v then
  local q, a, b = string.match(v, '^(%d+):(%d+):(.*)$')
  attempts = tonumber(a)
  if outcome == 3 then
    attempts = attempts + 1
    redis.call('HSET', KEYS[3], id, q .. ':' .. attempts .. ':' .. b)
  end
  nln = nln + redis.call('ZADD', KEYS[2], tonumber(q), id)
else
  -- No body here (granted on the fast path, or Redis lost its data): the message's own SQS copy
  -- carries the retry.
  attempts = -1
end
if outcome == 3 then nb = math.max(nb, now + tonumber(ARGV[8])) end
refresh = true
${EPILOGUE}
return {now, attempts}
`;

/**
 * merge: after a Redis outage, tell Redis about the sends an instance made (degraded mode, or
 * before a restart that lost the data), so the window and the bucket count them.
 *
 * KEYS[1..4] as in DECIDE_LUA
 * ARGV[1] perWindow
 * ARGV[2] windowMs
 * ARGV[3] burst
 * ARGV[4] keyTtlMs
 * ARGV[5..] pairs: an identifier of the send ("<ms>:<messageId>", informational), then its server time in ms
 *
 * A send Redis still knows must not count twice: per millisecond value, the window keeps as many
 * entries as the larger of what it holds and what the merge brings (two different sends in the
 * same millisecond, one known and one not, would count once: the only imprecision, and only here).
 * The bucket is replayed conservatively: empty at now - W (a full window earlier, when it was at
 * least empty), then every send in the window; the stored level becomes the lower of that and the
 * stored one, so a merge can only delay, never over-admit.
 * Reply: {nowMs, sendsInWindow}.
 */
export const MERGE_LUA = `${NOW}${PROLOGUE}
local have, bring = {}, {}
for i = 1, #log do have[log[i]] = (have[log[i]] or 0) + 1 end
for i = 5, #ARGV, 2 do
  local ms = tonumber(ARGV[i + 1])
  if ms > now - W then bring[ms] = (bring[ms] or 0) + 1 end
end
for ms, n in pairs(bring) do
  for _ = (have[ms] or 0) + 1, n do log[#log + 1] = ms end
end
table.sort(log)
local L, T0 = 0, now - W
for i = 1, #log do
  local x = log[i]
  if x > T0 then
    L = math.min(cap, L + N * (x - T0))
    T0 = x
  end
  L = L - cost
end
L = math.min(cap, L + N * (now - T0))
if L < lvl then lvl = L end
refresh = true
${EPILOGUE}
return {now, #log}
`;

/** The benchmark's ceiling: one EVALSHA doing the least a decision must (TIME and one write). */
export const TRIVIAL_LUA = `
local t = redis.call('TIME')
redis.call('SET', KEYS[1], t[1])
return 1
`;
