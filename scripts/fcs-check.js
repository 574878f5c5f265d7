#!/usr/bin/env node
// Reads FCS files with an independent reader, the npm package "fcs" (MorganConrad/fcs 0.0.7,
// installed into scripts/node_modules by scripts/install-fcs-check.sh), and prints one JSON
// object per file: version, $TOT, $PAR, $PnN, $PnS and the first N events as numbers.
// NodeFcsCrossCheckTest compares this with org.cytolake.fcs.FcsReader.
//
//   node scripts/fcs-check.js N FILE...
//
// What the package can read: list-mode $DATATYPE F, D and I (16 or 32 bits, taken from $P1B),
// $BYTEORD 1,2,3,4 or 4,3,2,1, the DATA offsets of the HEADER (or $BEGINDATA when the HEADER
// says 0). It cannot read ASCII data, mixed bit widths, supplemental TEXT or a file cut inside
// DATA (it reads past the end), and it trusts $TOT.
'use strict';
const fs = require('fs');
const path = require('path');
const FCS = require(path.join(__dirname, 'node_modules', 'fcs'));

const n = parseInt(process.argv[2], 10);
if (!(n > 0) || process.argv.length < 4) {
  console.error('usage: node fcs-check.js N FILE...');
  process.exit(2);
}
for (const file of process.argv.slice(3)) {
  const fcs = new FCS({dataFormat: 'asNumber', groupBy: 'byEvent', eventsToRead: n},
      fs.readFileSync(file));
  const par = Number(fcs.text.$PAR);
  const names = [];
  const labels = [];
  for (let i = 1; i <= par; i++) {
    names.push(fcs.text['$P' + i + 'N']);
    labels.push(fcs.text['$P' + i + 'S'] === undefined ? null : fcs.text['$P' + i + 'S']);
  }
  console.log(JSON.stringify({
    file: file,
    version: fcs.header.FCSVersion,
    tot: Number(fcs.text.$TOT),
    par: par,
    names: names,
    labels: labels,
    events: fcs.dataAsNumbers,
  }));
}
