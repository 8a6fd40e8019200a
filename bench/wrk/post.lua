-- POST a comment to an article, each from its own client address, as a reader's
-- browser sends it from the article page: no cookie, no token, an Origin of the site.
--   wrk ... -s post.lua URL -- /abs/paths.txt ORIGIN BODY TAG RUN THREADS PAUSE ZIPF DEADLINE
-- paths: one "/y-kien/<id>/gui/" a line. ORIGIN: "http://127.0.0.1:PORT", the server's.
-- BODY: the url-encoded text; "#TAG-RUN-<thread>-<n>" makes every body unique.
-- RUN (1-255) and the request number make X-Forwarded-For unique within a run.
-- PAUSE (ms): each connection waits about that long between posts (0: none).
-- ZIPF: the articles are drawn with weight 1/rank^ZIPF, in the file's order (0: evenly).
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

local paths, draw, origin, text, tag, run, nthreads, pause, deadline
local counter = 0

function init(args)
   paths = read_lines(args[1])
   origin, text, tag = args[2], args[3], args[4]
   run, nthreads, pause = tonumber(args[5]), tonumber(args[6]), tonumber(args[7])
   math.randomseed(os.time() + id * 7919)
   draw = sampler(#paths, tonumber(args[8]))
   deadline = tonumber(args[9])
   stored, refused = 0, 0 -- globals: done() reads them with thread:get()
end

function request()
   counter = counter + 1
   local k = (counter - 1) * nthreads + (id - 1)
   local address = string.format("10.%d.%d.%d", run, math.floor(k / 254) % 256, k % 254 + 1)
   local body = string.format(
      "name=B%%E1%%BA%%A1n+%%C4%%91%%E1%%BB%%8Dc&email=&website=&body=%s+%%23%s-%d-%d-%d",
      text, tag, run, id, counter)
   return wrk.format("POST", paths[draw()], {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Origin"] = origin,
      ["X-Forwarded-For"] = address,
      ["X-Requested-With"] = "fetch",
   }, body)
end

function delay()
   if now() >= deadline then
      return 3600 * 1000 -- wait out the rest of the run: nothing new in flight
   end
   return pause > 0 and pause * (0.5 + math.random()) or 0
end

function response(status, headers, body)
   if status == 201 or status == 303 then
      stored = stored + 1
   else
      refused = refused + 1
   end
end
