-- GET a random path from a file, one path per line:
--   wrk ... -s get.lua http://127.0.0.1:PORT -- /abs/paths.txt [header: value]
dofile("common.lua")

local paths, headers

function init(args)
   paths = read_lines(args[1])
   headers = {}
   for i = 2, #args do
      local name, value = args[i]:match("^([^:]+):%s*(.*)$")
      headers[name] = value
   end
   math.randomseed(os.time() + id * 7919)
end

function request()
   return wrk.format("GET", paths[math.random(#paths)], headers)
end
