-- Lua says the token it stopped at, not its column: the caret goes under
-- that token where it is written once on its line, and the line is shown
-- whole where it is written twice
local s = "unterminated
