" Vim compiler file for chg: `:make` checks the portfolio in the current
" directory and fills the quickfix list with its diagnostics.
if exists("current_compiler")
  finish
endif
let current_compiler = "chg"

CompilerSet makeprg=chg\ check\ --color\ never\ .
CompilerSet errorformat=%f:%l:%c:\ %trror:\ %m,%f:%l:%c:\ %tarning:\ %m,%f:%l:%c:\ %tote:\ %m,%-G%.%#
