-- An endless loop at the top level: stopped by the instruction budget, at
-- this line; the next hook (verify_intact.lua) still runs, with its own budget.
while true do end
