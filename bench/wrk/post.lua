-- POST a comment to a random article, each from its own client address:
--   wrk ... -s post.lua URL -- /abs/paths.txt TOKEN COOKIE BODY TAG RUN THREADS DEADLINE
-- paths: one "/y-kien/<id>/gui/" a line. TOKEN/COOKIE: a CSRF pair from comments:list.
-- BODY: the url-encoded text; "#TAG-RUN-<thread>-<n>" makes every body unique.
-- RUN (1-255) and the request number make X-Forwarded-For unique within a run.
-- DEADLINE (Unix time, s): no new post after it, so that when wrk stops no post
-- is still in flight and every stored comment had its answer counted.
dofile("common.lua")

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]])
local ts = ffi.new("bench_timespec")
local function now()
   ffi.C.clock_gettime(0, ts) -- CLOCK_REALTIME, as Python's time.time()
   return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local paths, token, cookie, text, tag, run, nthreads, deadline
local counter = 0

function init(args)
   paths = read_lines(args[1])
   token, cookie, text, tag = args[2], args[3], args[4], args[5]
   run, nthreads, deadline = tonumber(args[6]), tonumber(args[7]), tonumber(args[8])
   stored, refused = 0, 0 -- globals: done() reads them with thread:get()
   math.randomseed(os.time() + id * 7919)
end

function request()
   counter = counter + 1
   local k = (counter - 1) * nthreads + (id - 1)
   local address = string.format("10.%d.%d.%d", run, math.floor(k / 254) % 256, k % 254 + 1)
   local body = string.format(
      "csrfmiddlewaretoken=%s&name=B%%E1%%BA%%A1n+%%C4%%91%%E1%%BB%%8Dc&email=&website=&body=%s+%%23%s-%d-%d-%d",
      token, text, tag, run, id, counter)
   return wrk.format("POST", paths[math.random(#paths)], {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = "csrftoken=" .. cookie,
      ["X-Forwarded-For"] = address,
      ["X-Requested-With"] = "fetch",
   }, body)
end

function delay()
   if now() >= deadline then
      return 3600 * 1000 -- wait out the rest of the run: nothing new in flight
   end
   return 0
end

function response(status, headers, body)
   if status == 201 or status == 303 then
      stored = stored + 1
   else
      refused = refused + 1
   end
end
