-- The night's readers (bench/night.py): GET paths drawn with weight 1/rank^ZIPF in the
-- file's order (the most-read first; 0: evenly), and count how each was answered.
--   wrk ... -s night.lua URL -- /abs/paths.txt ZIPF HOT [header: value]
-- HOT: the first HOT paths are the most-read ones, counted apart.
-- The night's server (bench/night_app.py) says how it answered each request in
-- "X-Bench-Answer: copy|shared|render <path>": from a worker's copy, from the shared
-- cache, or rendered by Django. Per path, a render after answers from the cache
-- starts a run of re-renders that lasts until the page is answered from the cache
-- again: its length is how many times that purged (or expired) page was rendered.
-- A page rendered before it was ever answered from the cache is a cold render.
-- With nginx in front (--front nginx), an answer its cache gave (X-Cache: HIT, or
-- REVALIDATED: a copy the portal confirmed with a 304) counts as "front"; it
-- still carries the X-Bench-Answer of the render it keeps, hence its path.
dofile("common.lua")
counters = {
   "stored", "refused", "front", "copy", "shared", "render", "unmarked",
   "hot_answers", "hot_renders", "cold_pages", "cold_renders", "purged_pages", "rerenders",
}
maxima = {"longest_run", "longest_cold_run"}

ANSWERS = {copy = true, shared = true, render = true}
FRONT = {HIT = true, REVALIDATED = true, STALE = true, UPDATING = true}

local paths, draw, hot, headers
local runs = {} -- per path: 0 from the cache last, n > 0 in a re-render run, -n in a cold run

function init(args)
   paths = read_lines(args[1])
   math.randomseed(os.time() + id * 7919)
   draw = sampler(#paths, tonumber(args[2]))
   hot = {}
   for i = 1, math.min(tonumber(args[3]), #paths) do
      hot[paths[i]] = true
   end
   headers = {}
   for i = 4, #args do
      local name, value = args[i]:match("^([^:]+):%s*(.*)$")
      headers[name] = value
   end
   for _, name in ipairs(counters) do _G[name] = 0 end
   for _, name in ipairs(maxima) do _G[name] = 0 end
end

function request()
   return wrk.format("GET", paths[draw()], headers)
end

local function rendered(path)
   local run = runs[path]
   if run == nil or run < 0 then
      run = (run or 0) - 1
      cold_renders = cold_renders + 1
      if run == -1 then cold_pages = cold_pages + 1 end
      longest_cold_run = math.max(longest_cold_run, -run)
   else
      run = run + 1
      rerenders = rerenders + 1
      if run == 1 then purged_pages = purged_pages + 1 end
      longest_run = math.max(longest_run, run)
   end
   runs[path] = run
end

function response(status, response_headers, body)
   local answer = response_headers["x-bench-answer"] or response_headers["X-Bench-Answer"]
   local how, path = (answer or ""):match("^(%a+) (.*)$")
   if not ANSWERS[how] then
      unmarked = unmarked + 1
      return
   end
   if FRONT[response_headers["x-cache"] or response_headers["X-Cache"] or ""] then
      how = "front"
   end
   _G[how] = _G[how] + 1
   if hot[path] then
      hot_answers = hot_answers + 1
      if how == "render" then hot_renders = hot_renders + 1 end
   end
   if how == "render" then
      rendered(path)
   else
      runs[path] = 0
   end
end
