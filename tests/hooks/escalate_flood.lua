-- An escalation no more senior than the entity's own is dropped: its
-- reason, 5,000 characters here, used to be copied into chg's memory
-- first, uncounted, on every call (12 KB a call: gigabytes).
local reason = string.rep("x", 5000)
function on_programme(p)
  chg.escalate(p, "board", "first")
  for i = 1, 1000000 do chg.escalate(p, "project", reason) end
  chg.flag(p, "warning", "a million escalations later")
end
