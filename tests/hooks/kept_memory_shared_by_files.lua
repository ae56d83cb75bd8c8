-- Each of two hook files has chg keep 4,500 flags of 4,000 characters,
-- some 37 MB as charged (a flag's text is charged as a row of the report
-- and again as a text kept): within the 64 MB limit alone, past it
-- together.  What chg keeps for the hooks is the run's, so the second is
-- stopped; it used to start again from nothing, and N files could have
-- chg keep N times the limit.
local text = string.rep("y", 4000)
function on_programme(p)
  for i = 1, 4500 do chg.flag(p, "info", text .. i) end
end
