# Issue 15 r03: --write-xmp keeps the XMP regions it did not make (a face drawn by hand, a pet
# region) and the other XMP of the sidecar (Rating, digiKam TagsList) exactly as they were, and
# one malformed sidecar elsewhere costs only that file: named on stderr, exit 1, never the names
# of the rest of the album ("Alice" is not replaced by person_N).
. "$(dirname "$0")/lib.sh" "$@"
need exiftool
# A digiKam-style sidecar: Alice on a detected face, Bob where no face is detected, Rex a pet.
fixture=$W/fixture.xmp
cat >"$fixture" <<'XMP'
<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x='adobe:ns:meta/'>
<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>
 <rdf:Description rdf:about=''
  xmlns:mwg-rs='http://www.metadataworkinggroup.com/schemas/regions/'
  xmlns:stArea='http://ns.adobe.com/xmp/sType/Area#'
  xmlns:stDim='http://ns.adobe.com/xap/1.0/sType/Dimensions#'
  xmlns:xmp='http://ns.adobe.com/xap/1.0/'
  xmlns:digiKam='http://www.digikam.org/ns/1.0/'>
  <xmp:Rating>3</xmp:Rating>
  <digiKam:TagsList><rdf:Seq><rdf:li>People/Alice</rdf:li><rdf:li>People/Bob</rdf:li></rdf:Seq></digiKam:TagsList>
  <mwg-rs:Regions rdf:parseType='Resource'>
   <mwg-rs:AppliedToDimensions rdf:parseType='Resource'>
    <stDim:w>1366</stDim:w><stDim:h>768</stDim:h><stDim:unit>pixel</stDim:unit>
   </mwg-rs:AppliedToDimensions>
   <mwg-rs:RegionList>
    <rdf:Bag>
     <rdf:li rdf:parseType='Resource'>
      <mwg-rs:Area rdf:parseType='Resource'><stArea:x>0.192221</stArea:x><stArea:y>0.246068</stArea:y><stArea:w>0.085919</stArea:w><stArea:h>0.152820</stArea:h><stArea:unit>normalized</stArea:unit></mwg-rs:Area>
      <mwg-rs:Type>Face</mwg-rs:Type><mwg-rs:Name>Alice</mwg-rs:Name>
     </rdf:li>
     <rdf:li rdf:parseType='Resource'>
      <mwg-rs:Area rdf:parseType='Resource'><stArea:x>0.05</stArea:x><stArea:y>0.9</stArea:y><stArea:w>0.05</stArea:w><stArea:h>0.08</stArea:h><stArea:unit>normalized</stArea:unit></mwg-rs:Area>
      <mwg-rs:Type>Face</mwg-rs:Type><mwg-rs:Name>Bob</mwg-rs:Name>
     </rdf:li>
     <rdf:li rdf:parseType='Resource'>
      <mwg-rs:Area rdf:parseType='Resource'><stArea:x>0.5</stArea:x><stArea:y>0.8</stArea:y><stArea:w>0.1</stArea:w><stArea:h>0.1</stArea:h><stArea:unit>normalized</stArea:unit></mwg-rs:Area>
      <mwg-rs:Type>Pet</mwg-rs:Type><mwg-rs:Name>Rex</mwg-rs:Name>
     </rdf:li>
    </rdf:Bag>
   </mwg-rs:RegionList>
  </mwg-rs:Regions>
 </rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end='w'?>
XMP
A=$(fresh album)
cp "$S/faceapi_bbt/bbt1.jpg" "$A/a.jpg"
cp "$S/azure_face_family/images/Family1-Dad1.jpg" "$A/c.jpg"
cp "$fixture" "$A/a.jpg.xmp"
regions() { exiftool -s3 -sep '|' "-Region$1" "$2"; }
"$P" label "$A" --write-xmp --quiet 2>"$W/err1"
check "a clean album exits 0" test $? -eq 0
names=$(regions Name "$A/a.jpg.xmp")
types=$(regions Type "$A/a.jpg.xmp")
echo "regions after --write-xmp: $names ($types)"
check "Alice kept" grep -q '^Alice|' <<<"$names"
check "the hand-drawn face Bob kept" grep -q '^Alice|Bob|' <<<"$names"
check "the pet region Rex kept with its type" grep -q '^Face|Face|Pet|' <<<"$types"
check "Bob's area unchanged" test "$(exiftool -n -s3 -sep '|' -RegionAreaX "$A/a.jpg.xmp" | cut -d'|' -f2)" = 0.05
check "Alice's face not written a second time" test "$(grep -o Alice <<<"$names" | wc -l)" -eq 1
check "the other detected faces added" test "$(tr '|' '\n' <<<"$names" | grep -c '^person_')" -ge 2
check "Rating kept" test "$(exiftool -s3 -Rating "$A/a.jpg.xmp")" = 3
check "digiKam TagsList kept" grep -q 'People/Bob' <<<"$(exiftool -s3 -TagsList "$A/a.jpg.xmp")"
check "Alice is the name of her face" grep -q '^a\.jpg,.*,Alice,' "$A/.personrec/people.csv"
cp "$A/a.jpg.xmp" "$W/first.xmp"
"$P" label "$A" --write-xmp --quiet 2>>"$W/err1"
check "a second run writes the same sidecar (its own regions replaced, not added)" \
    cmp -s "$A/a.jpg.xmp" "$W/first.xmp"
# One malformed sidecar elsewhere, fresh store.
rm -rf "$A/.personrec"
cp "$fixture" "$A/a.jpg.xmp"
echo '<x:xmpmeta broken' >"$A/c.jpg.xmp"
"$P" label "$A" --write-xmp 2>"$W/err2"
check "a malformed sidecar: exit 1" test $? -eq 1
check "the malformed sidecar is named on stderr" grep -q 'c\.jpg\.xmp' "$W/err2"
check "the malformed sidecar is left as it was" test "$(cat "$A/c.jpg.xmp")" = '<x:xmpmeta broken'
check "Alice still named from her sidecar" grep -q '^a\.jpg,.*,Alice,1\.000,seed' "$A/.personrec/people.csv"
names=$(regions Name "$A/a.jpg.xmp")
check "Alice, Bob and Rex still in a.jpg.xmp" grep -q '^Alice|Bob|Rex|' <<<"$names"
check "no person_N written over Alice" test "$(grep -o Alice <<<"$names" | wc -l)" -eq 1
cat "$W/err2"
finish
