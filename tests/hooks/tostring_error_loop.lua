-- An error object whose __tostring never returns: chg must not call it,
-- neither for print nor for the diagnostic.
local evil = setmetatable({}, {__tostring = function() while true do end end, __name = "Evil"})
print("evil is a", evil)
function on_programme(p)
  error(evil)
end
