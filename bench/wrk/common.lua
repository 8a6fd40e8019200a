-- Shared by get.lua and post.lua (loaded with dofile; wrk runs in bench/wrk/).
-- Prints one line, "BENCH {json}", that bench/run.py reads.

threads = {}

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

local function sum(name)
   local total = 0
   for _, thread in ipairs(threads) do
      total = total + (thread:get(name) or 0)
   end
   return total
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
         .. '"status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "stored": %d, "refused": %d}\n',
      summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(99), sum("stored"), sum("refused")))
end
