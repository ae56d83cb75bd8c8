-- "Board" for `board`: the error lists the levels and names the one meant.
function on_programme(p)
  chg.escalate(p, "Board", "late")
end
