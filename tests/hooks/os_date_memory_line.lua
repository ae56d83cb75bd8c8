-- a comment
-- another
local f = string.rep("%c", 1e7)
-- one more
local s = os.date(f, 0) -- the limit is hit here
