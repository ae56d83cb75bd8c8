-- no io library: a hook cannot write into the repository.
local f = io.open("tests/hooks/PWNED_io_open", "w")
f:write("pwned\n")
f:close()
