-- A pattern with no quantifier at all, but as long as its subject: every
-- start position compares up to a million characters (about 10^12 steps).
-- `match` goes through the pattern matcher, which is refused; a `find` of
-- it would look for plain text, in linear time (plain_find_quadratic).
local s = string.rep("a", 2000000)
local p = string.rep("a", 1000000) .. "b"
local r = s:match(p)
