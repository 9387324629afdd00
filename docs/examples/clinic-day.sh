#!/bin/sh
# The record the auditor's guide examines: the clinic of clinic-setup.sh and
# the practitioner's procedure of docs/practitioner.md, made with the CLI on a
# fresh server started by ./deploy/run-dev.sh. Run it from the directory the
# server runs in, with smptrace on the PATH:
#
#   sh docs/examples/clinic-day.sh > day.log
#
# As sam (practitioner): client HX-104; session SES-000001 (screening WARN)
# scans two cartridges and the ink bottle of Room 1 and is refused one left
# in the stock room, disposes of the cartridges into SHC-000001 and is closed
# and sealed; session SES-000002 (screening BLOCKED, overridden by maria)
# scans the two used cartridges again: two reuse attempts, refused.
set -eu
here=$(dirname "$0")
sh "$here/clinic-setup.sh"

export SMPTRACE_CA_CERT="$PWD/smptrace-certs/ca.pem"
export SMPTRACE_TOKEN_FILE="$PWD/sam.token"
smptrace client create --code HX-104 --name "Alex Example" --phone "+44 20 7946 0000"
smptrace session start --client HX-104 --practitioner "Sam Rivers" --location LOC-000003 \
  --step first --area "crown and hairline" --supplements
printf '%s\n' '(01)09506000134352(17)271231(10)CT-2291(21)SMP000000001' \
  '(01)09506000134352(17)271231(10)CT-2291(21)SMP000000002' \
  '(01)09506000134369(17)280630(10)INK-77(21)SMP000000021' \
  '(01)09506000134352(17)271231(10)CT-2291(21)SMP000000012' >procedure.txt
head -2 procedure.txt >used.txt
# One scan is refused (a cartridge left in the stock room): exit code 1.
smptrace session scan SES-000001 <procedure.txt || [ $? -eq 1 ]
smptrace container open --location LOC-000003 --label "5 L yellow, Room 1"
smptrace dispose --container SHC-000001 <used.txt
smptrace session close SES-000001
smptrace session start --client HX-104 --practitioner "Sam Rivers" --location LOC-000003 \
  --step second --area crown --finasteride --override-manager maria \
  --override-reason "prescriber letter on file"
# Both are reuse attempts, refused: exit code 1.
smptrace session scan SES-000002 <used.txt || [ $? -eq 1 ]
