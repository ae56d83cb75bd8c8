-- comment 1
-- comment 2
function on_programme(p)
  local g = load("\nerror('boom')", "=load_name_spoof.lua")
  local h = load("\nerror('bang')", "@tests/hooks/load_name_spoof.lua")
  if p.id == "alpha" then h(p) else g(p) end
end
load("\n\nfunction on_projetc(p) end")()
