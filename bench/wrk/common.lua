-- Shared by get.lua, night.lua and post.lua (loaded with dofile; wrk runs in bench/wrk/).
-- Prints one line, "BENCH {json}", that bench/run.py reads: wrk's own figures, and
-- each thread's global named in `counters` (summed) and `maxima` (the largest).

threads = {}
counters = {"stored", "refused"}
maxima = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function read_lines(name)
   local lines = {}
   for line in io.lines(name) do
      if #line > 0 then
         lines[#lines + 1] = line
      end
   end
   assert(#lines > 0, "no lines in " .. name)
   return lines
end

-- A draw of 1..n where rank r has the weight 1/r^s (Zipf); s = 0 draws evenly.
function sampler(n, s)
   if s == 0 then
      return function() return math.random(n) end
   end
   local cumulative, total = {}, 0
   for r = 1, n do
      total = total + r ^ -s
      cumulative[r] = total
   end
   return function()
      local x, lo, hi = math.random() * total, 1, n
      while lo < hi do
         local mid = math.floor((lo + hi) / 2)
         if cumulative[mid] < x then
            lo = mid + 1
         else
            hi = mid
         end
      end
      return lo
   end
end

local function gather(name, combine)
   local result = 0
   for _, thread in ipairs(threads) do
      result = combine(result, thread:get(name) or 0)
   end
   return result
end

local function add(a, b) return a + b end

function done(summary, latency, requests)
   local e = summary.errors
   local extra = {}
   for _, name in ipairs(counters) do
      extra[#extra + 1] = string.format(', "%s": %d', name, gather(name, add))
   end
   for _, name in ipairs(maxima) do
      extra[#extra + 1] = string.format(', "%s": %d', name, gather(name, math.max))
   end
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
         .. '"status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d%s}\n',
      summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(99), table.concat(extra)))
end
