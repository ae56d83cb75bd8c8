-- string.dump must be absent, as a field and as a method of strings.
print("string.dump:", string.dump, ("").dump)
local bytes = string.dump(function() return 1 end)
