-- A flag's message of white space, control characters, Unicode spaces or
-- zero-width characters says nothing, and is refused as an empty one is.
local blanks = { "", " ", "\t", "\n", "  \t\n", "\r\n", "\v\f", "\0",
                 "\u{A0}", "\u{2003}", "\u{3000}", "\u{200B}", "\u{FEFF}", "\u{2028}" }
function on_portfolio(pf)
  for i, m in ipairs(blanks) do
    if pcall(chg.flag, pf, "warning", m) then
      chg.flag(pf, "error", "blank message " .. i .. " was taken")
    end
  end
  chg.flag(pf, "info", "\u{A0}a real message")
end
