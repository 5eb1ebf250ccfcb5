-- wrk script for bench/attendance.py --load wrk: POST the lines of $EVENTS ("path<TAB>body"),
-- each thread its own share (thread k sends lines k, k + n, k + 2n, ... of n threads), once.
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
  answered = 0
  -- this thread's share: lines id, id + threads, ... (0-based) of #lines
  share = math.floor((#lines - 1 - id) / threads) + 1
end

function request()
  -- Past its share (a connection still idle while the last answers come): repeat its first
  -- line; the copy is a duplicate event, which folding ignores.
  local index = next_line < #lines and next_line or id
  local line = lines[index + 1]
  next_line = next_line + threads
  local tab = line:find("\t", 1, true)
  return wrk.format("POST", line:sub(1, tab - 1), headers, line:sub(tab + 1))
end

function response(status, headers, body)
  answered = answered + 1
  if answered >= share then
    wrk.thread:stop()  -- every line of its share sent once and answered
  end
end
