#!/bin/sh
# The clinic the practitioner's and the auditor's guides start from, made with
# the CLI on a fresh server started by ./deploy/run-dev.sh (secured). Run it
# from the directory the server runs in, with smptrace on the PATH:
#
#   sh docs/examples/clinic-setup.sh > setup.log
#
# As the admin (smptrace-admin.token): one principal per role, their tokens in
# maria.token (manager), sam.token (practitioner) and alex.token (auditor).
# As maria: the clinic LOC-000001, its stock room LOC-000002 and Room 1
# LOC-000003, a supplier, two products, a delivery (a box of 20 cartridges of
# lot CT-2291 serialised SMP000000001..20, one cartridge with its own serial
# SN-000417, two bottles of ink lot INK-77, SMP000000021 and 22), and the
# week's stock moved to Room 1 (cartridges SMP000000001..10, bottle
# SMP000000021): the steps of docs/manager.md.
set -eu
export SMPTRACE_CA_CERT="$PWD/smptrace-certs/ca.pem"
export SMPTRACE_TOKEN_FILE="$PWD/smptrace-admin.token"
smptrace principal create maria --role manager --display_name "Maria Lopez" --token_out maria.token
smptrace principal create sam --role practitioner --display_name "Sam Rivers" --token_out sam.token
smptrace principal create alex --role auditor --display_name "Alex Kim" --token_out alex.token

export SMPTRACE_TOKEN_FILE="$PWD/maria.token"
smptrace location create --name "Harley Street Clinic" --kind clinic
smptrace location create --name "Stock room" --kind store --parent LOC-000001
smptrace location create --name "Room 1" --kind room --parent LOC-000001
smptrace supplier create --name "Acme Needles Ltd" --contact "orders@acme.example"
smptrace product create --gtin 09506000134352 --kind cartridge --name "Cartridge 1RL 0.25" \
  --manufacturer "Acme Needles" --configuration "1RL 0.25mm" --single_use true --sterile true \
  --sterilization eo
smptrace product create --gtin 09506000134369 --kind pigment --name "SMP Ink Black 15ml" \
  --manufacturer InkCo --pao_days 180 --shade Black --sterile true --sterilization gamma
printf '%s\n' \
  '(00)106141411234567897(02)09506000134352(17)271231(10)CT-2291(37)20' \
  '(01)09506000134352(17)271231(10)CT-2291(21)SN-000417' \
  '(01)09506000134369(17)280630(10)INK-77' \
  '(01)09506000134369(17)280630(10)INK-77' |
  smptrace receive --location LOC-000002 --supplier SUP-000001
smptrace transfer --from LOC-000002 --to LOC-000003 --gtin 09506000134352 --lot CT-2291 \
  --quantity 10 --note "room 1 for the week"
smptrace transfer --from LOC-000002 --to LOC-000003 --gtin 09506000134369 --lot INK-77 --quantity 1
