-- Reads `golive_date` for `go_live_date`, twice, and `sroo` for `sro`;
-- `score` is a risk's field, nil on a programme, and `_private` a name of
-- the hook's own convention: neither is said.
function on_milestone(m)
  if m.golive_date == nil and m.golive_date == nil then
    chg.log("no go-live date read for " .. m.path)
  end
end

function on_programme(p)
  local owner = p.sroo
  local score = p.score
  local private = p._private
  if owner or score or private then chg.log("unexpected") end
end
