-- wrk script for bench/attendance.py --load wrk: POST the lines of $EVENTS ("path<TAB>body"),
-- each thread its own share (thread k sends lines k, k + n, k + 2n, ... of n threads).
local lines = {}
for line in io.lines(os.getenv("EVENTS")) do
  lines[#lines + 1] = line
end
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
}
local made = 0

function setup(thread)
  thread:set("id", made)
  thread:set("threads", tonumber(os.getenv("THREADS")))
  made = made + 1
end

function init(args)
  next_line = id
end

function request()
  local line = lines[(next_line % #lines) + 1]
  next_line = next_line + threads
  local tab = line:find("\t", 1, true)
  return wrk.format("POST", line:sub(1, tab - 1), headers, line:sub(tab + 1))
end
