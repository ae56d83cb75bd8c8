-- string.rep of the empty string: no memory, but 2^63 turns of a C loop
-- where no instruction is counted.  The answer is the empty string.
local s = string.rep("", math.maxinteger)
print("length", #s)
