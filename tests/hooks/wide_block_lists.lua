-- Each read of a list of a block's blocks (risks, milestones, children,
-- ...) walked all its items, in C, charged as one field read: reading
-- r.parent.milestones on each of 50,000 risks ran for minutes, and the
-- loop below ran twenty seconds inside its budget in the sanitizer build.
-- A block with many blocks has each list made once.
local slipped, risks = 0, 0
function on_risk(r)
  risks = risks + 1
  for _, m in ipairs(r.parent.milestones) do
    if m.slip_days > 30 then slipped = slipped + 1 end
  end
end
function on_milestone(m)
  print(risks .. " risks, " .. slipped .. " under a slipped go-live; " .. #m.parent.risks ..
        " risks, " .. #m.parent.milestones .. " milestone and " .. #m.parent.benefits .. " benefits in " ..
        m.parent.id .. "; the portfolio has " .. #m.parent.parent.children .. " programme")
  while true do local _ = m.parent.milestones end
end
