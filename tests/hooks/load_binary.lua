-- load() of a precompiled chunk (luac 5.4 output of os.execute(...); print(...))
-- must be refused whatever mode is asked for: load is text only in hooks.
local bytecode = "\27\76\117\97\84\0\25\147\13\10\26\10\4\8\8\120\86\0\0\0\0\0\0\0\0\0\0\0\40\119\64\1\128\128\128\0\1\2\137\81\0\0\0\11\0\0\0\14\0\0\1\131\0\1\0\68\0\2\1\11\0\0\3\131\0\2\0\68\0\2\1\70\0\1\1\133\4\131\111\115\4\136\101\120\101\99\117\116\101\4\158\116\111\117\99\104\32\47\116\109\112\47\99\104\103\45\112\119\110\101\100\45\98\121\116\101\99\111\100\101\4\134\112\114\105\110\116\4\141\98\121\116\101\99\111\100\101\32\114\97\110\129\1\0\0\128\128\128\128\128"
for _, mode in ipairs({"b", "bt", "t"}) do
  local f, err = load(bytecode, "=bytecode", mode)
  print("mode " .. mode .. ":", f, err)
end
-- and source asked for as binary only is refused, as Lua refuses it
print("source, mode b:", load("return 1", "=source", "b"))
local f, err = load(bytecode)
if f then f() end
error("bytecode refused: " .. tostring(err))
