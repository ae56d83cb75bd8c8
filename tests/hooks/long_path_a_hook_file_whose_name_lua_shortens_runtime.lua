-- The message of an error in a callback of gsub carried the shortened
-- path twice ("...shortens_runtime.lua:5: ...shortens_runtime.lua:5: in
-- the callback").
function on_programme(p)
  string.gsub("abc", "b", function() error("in the callback") end)
end
