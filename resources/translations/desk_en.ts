<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>Crash</name>
    <message>
        <source>ตกลง</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>เกิดข้อผิดพลาดที่ไม่คาดคิด รายละเอียดบันทึกไว้ในบันทึกการทำงานที่ {0}</source>
        <translation>Something unexpected went wrong; the details are in the log at {0}</translation>
    </message>
</context>
<context>
    <name>DeadlineCard</name>
    <message>
        <source>กำหนดส่ง {0}</source>
        <translation>Due {0}</translation>
    </message>
    <message>
        <source>{0} · {1} หน่วย</source>
        <translation>{0} · {1} units</translation>
    </message>
    <message>
        <source>ส่งแล้ว {0} จาก {1} · ยังไม่ส่ง {2}</source>
        <translation>{0} of {1} received · {2} not yet</translation>
    </message>
</context>
<context>
    <name>ExcelDialogs</name>
    <message>
        <source>ใหม่</source>
        <translation>New</translation>
    </message>
    <message>
        <source>เปลี่ยนแปลง</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>เหมือนเดิม</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>ไม่รับ</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>ต้องยืนยัน</source>
        <translation>Needs confirmation</translation>
    </message>
    <message>
        <source>ว่าง</source>
        <translation>Blank</translation>
    </message>
    <message>
        <source>สมุดงาน Excel (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>ทุกไฟล์ (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>เกิดข้อผิดพลาดที่ไม่คาดคิด: {0}</source>
        <translation>Something unexpected went wrong: {0}</translation>
    </message>
    <message>
        <source>นำเข้า</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>แถว</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>สถานะ</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>ไฟล์ {0}</source>
        <translation>File {0}</translation>
    </message>
    <message>
        <source>กำลังตรวจไฟล์…</source>
        <translation>Checking the file…</translation>
    </message>
    <message>
        <source>ยกเลิก</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>ไฟล์นี้มีแถวที่รับไม่ได้ จึงจะไม่บันทึกข้อมูลใดจากไฟล์นี้ กรุณาแก้ไขไฟล์แล้วนำเข้าอีกครั้ง</source>
        <translation>This file has rows that cannot be accepted, so nothing from it will be saved. Please correct the file and import it again.</translation>
    </message>
    <message>
        <source> (และอีก {0} แถว)</source>
        <translation> (and {0} more rows)</translation>
    </message>
    <message>
        <source>อ่านไฟล์ไม่ได้ ไม่ได้บันทึกข้อมูลใด</source>
        <translation>The file could not be read; nothing was saved.</translation>
    </message>
    <message>
        <source>ไม่ได้บันทึกข้อมูลใด</source>
        <translation>Nothing was saved.</translation>
    </message>
    <message>
        <source>นำเข้าแบบรายงานจากไฟล์ Excel</source>
        <translation>Import report forms from an Excel file</translation>
    </message>
    <message>
        <source>ยืนยันตัวเลขที่ต้องยืนยันและการแก้ไขยอดที่บันทึกไว้แล้ว (ประวัติเดิมยังเก็บไว้)</source>
        <translation>Confirm the figures that need confirming and the changes to stored counts (the earlier history is kept)</translation>
    </message>
    <message>
        <source>สัปดาห์ {0} ({1})</source>
        <translation>Week {0} ({1})</translation>
    </message>
    <message>
        <source>นำเข้าแล้ว: ใหม่ {0} รายการ แก้ไข {1} รายการ (เหมือนเดิม {2})</source>
        <translation>Imported: {0} new, {1} changed ({2} unchanged)</translation>
    </message>
    <message>
        <source>นำเข้ารายชื่อหน่วยจากไฟล์ Excel</source>
        <translation>Import the list of units from an Excel file</translation>
    </message>
    <message>
        <source>นำเข้าแล้ว: หน่วยใหม่ {0} หน่วย ปรับปรุง {1} หน่วย</source>
        <translation>Imported: {0} new units, {1} units updated</translation>
    </message>
    <message>
        <source>เลือกแบบรายงานที่หน่วยกรอกแล้ว</source>
        <translation>Choose a report form filled in by a unit</translation>
    </message>
    <message>
        <source>เลือกไฟล์รายชื่อหน่วย</source>
        <translation>Choose the file with the list of units</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>ส่งออกเป็นไฟล์ Excel</source>
        <translation>Export to an Excel file</translation>
    </message>
    <message>
        <source>แบบรายงานสำหรับให้หน่วยกรอก</source>
        <translation>Report form for units to fill in</translation>
    </message>
    <message>
        <source>สรุปประจำสัปดาห์ (สูตรตรวจสอบได้ และประวัติรายสัปดาห์)</source>
        <translation>The week&apos;s summary (checkable formulas, and the weekly history)</translation>
    </message>
    <message>
        <source>แม่แบบรายชื่อหน่วยสำหรับนำเข้า</source>
        <translation>Template of the unit list for importing</translation>
    </message>
    <message>
        <source>สัปดาห์</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>หน่วย</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>บันทึกเป็น…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>ปิด</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>อ่านข้อมูลไม่ได้</source>
        <translation>The data could not be read.</translation>
    </message>
    <message>
        <source>ทุกหน่วยที่ยังรายงาน</source>
        <translation>Every unit still reporting</translation>
    </message>
    <message>
        <source>แผนลำดับที่ {0}: {1}</source>
        <translation>Plan row {0}: {1}</translation>
    </message>
    <message>
        <source>หน่วย {0} {1}</source>
        <translation>Unit {0} {1}</translation>
    </message>
    <message>
        <source>สรุป-{0}.xlsx</source>
        <translation>summary-{0}.xlsx</translation>
    </message>
    <message>
        <source>แม่แบบรายชื่อหน่วย.xlsx</source>
        <translation>unit-list-template.xlsx</translation>
    </message>
    <message>
        <source>แบบรายงาน-{0}.xlsx</source>
        <translation>report-form-{0}.xlsx</translation>
    </message>
    <message>
        <source>บันทึกไฟล์ Excel</source>
        <translation>Save the Excel file</translation>
    </message>
    <message>
        <source>บันทึกไฟล์แล้ว: {0}</source>
        <translation>File saved: {0}</translation>
    </message>
    <message>
        <source>บันทึกไม่สำเร็จ</source>
        <translation>Saving failed.</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>ทุกแผน</source>
        <translation>All plan rows</translation>
    </message>
    <message>
        <source>ทุกอำเภอ</source>
        <translation>All districts</translation>
    </message>
    <message>
        <source>ทุกประเภท</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <source>เฉพาะที่ยังไม่ส่ง</source>
        <translation>Not yet reported only</translation>
    </message>
    <message>
        <source>ค้นหารหัสหรือชื่อหน่วย (Ctrl+F)</source>
        <translation>Search unit code or name (Ctrl+F)</translation>
    </message>
    <message>
        <source>แสดง:</source>
        <translation>Show:</translation>
    </message>
</context>
<context>
    <name>FirstRunChecklist</name>
    <message>
        <source>เริ่มต้นใช้งาน:</source>
        <translation>Getting started:</translation>
    </message>
    <message>
        <source>ข้อมูลสำนักงานและ LINE ID</source>
        <translation>Office details and LINE ID</translation>
    </message>
    <message>
        <source>ผู้ติดต่อของหน่วย</source>
        <translation>Units&apos; contacts</translation>
    </message>
    <message>
        <source>นำเข้ารายชื่อ อปท.</source>
        <translation>Import the list of local administrations</translation>
    </message>
    <message>
        <source>รายงานสัปดาห์แรก</source>
        <translation>The first week&apos;s reports</translation>
    </message>
    <message numerus="yes">
        <source> (ขาด %n หน่วย)</source>
        <translation>
            <numerusform> (%n unit missing)</numerusform>
            <numerusform> (%n units missing)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FormImportDialog</name>
    <message>
        <source>รหัสหน่วย</source>
        <translation>Unit code</translation>
    </message>
    <message>
        <source>ชื่อหน่วยงาน</source>
        <translation>Unit name</translation>
    </message>
    <message>
        <source>จำนวน</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>ยอดเดิม</source>
        <translation>Stored count</translation>
    </message>
    <message>
        <source>รายละเอียด</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>ต่ำกว่าครั้งก่อน</source>
        <translation>below the previous report</translation>
    </message>
    <message>
        <source>เพิ่มขึ้นมากผิดปกติ</source>
        <translation>unusually large rise</translation>
    </message>
    <message>
        <source>สูงกว่าสัปดาห์ถัดไป</source>
        <translation>above the following week</translation>
    </message>
    <message>
        <source>ประวัติการรายงานของหน่วย</source>
        <translation>A unit&apos;s report history</translation>
    </message>
    <message>
        <source>หน่วย:</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <source>บันทึกครั้งแรก</source>
        <translation>First entry</translation>
    </message>
    <message>
        <source>สัปดาห์</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>ฉบับ</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>จำนวนสะสม</source>
        <translation>Cumulative</translation>
    </message>
    <message>
        <source>การเปลี่ยนแปลง</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>เวลารับรายงาน</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>บันทึกเมื่อ</source>
        <translation>Entered</translation>
    </message>
    <message>
        <source>ช่องทาง</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>ผู้รายงาน</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>ผู้บันทึก</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>ยืนยันแล้วว่า</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <source>เหตุผล / หมายเหตุ</source>
        <translation>Reason / note</translation>
    </message>
    <message>
        <source> (ยกเลิกแล้ว)</source>
        <translation> (retired)</translation>
    </message>
    <message>
        <source>รายงาน</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>สัปดาห์ · แก้ไข</source>
        <translation>weeks · corrected</translation>
    </message>
    <message>
        <source>ครั้ง</source>
        <translation>times</translation>
    </message>
    <message>
        <source>ล่าสุด</source>
        <translation>Latest</translation>
    </message>
    <message>
        <source>คน</source>
        <translation>people</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>อีก {0} วัน {1}</source>
        <translation>{0} d {1} left</translation>
    </message>
    <message>
        <source>อีก {0}</source>
        <translation>{0} left</translation>
    </message>
    <message>
        <source>ครบกำหนดแล้ว</source>
        <translation>Deadline passed</translation>
    </message>
    <message>
        <source>{0} วัน</source>
        <translation>{0} d</translation>
    </message>
    <message>
        <source>{0} ชม.</source>
        <translation>{0} h</translation>
    </message>
    <message>
        <source>{0} นาที</source>
        <translation>{0} min</translation>
    </message>
    <message>
        <source>เลยกำหนดมาแล้ว {0}</source>
        <translation>Overdue by {0}</translation>
    </message>
    <message>
        <source>วัน{0}ที่ {1} เวลา {2}</source>
        <translation>{0} {1} at {2}</translation>
    </message>
    <message>
        <source>สัปดาห์ที่ {0} ของโครงการ · {1}</source>
        <translation>Campaign week {0} · {1}</translation>
    </message>
    <message>
        <source>สัปดาห์ {0}</source>
        <translation>Week {0}</translation>
    </message>
    <message>
        <source>รายแผน</source>
        <translation>By plan row</translation>
    </message>
    <message>
        <source>รายอำเภอ</source>
        <translation>By district</translation>
    </message>
    <message>
        <source>ไม่สังกัดอำเภอ</source>
        <translation>No district</translation>
    </message>
    <message>
        <source>ไม่สังกัดอำเภอ (หน่วยงานระดับจังหวัด)</source>
        <translation>No district (provincial agencies)</translation>
    </message>
    <message>
        <source>ต้องส่งสัปดาห์นี้</source>
        <translation>Due this week</translation>
    </message>
    <message>
        <source>ส่งแล้ว</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>ตรงเวลา</source>
        <translation>On time</translation>
    </message>
    <message>
        <source>ส่งช้า</source>
        <translation>Late</translation>
    </message>
    <message>
        <source>ยังไม่ส่ง</source>
        <translation>Missing</translation>
    </message>
    <message>
        <source>รายชื่อที่ต้องโทรตาม</source>
        <translation>Units to call</translation>
    </message>
    <message>
        <source>บันทึกการโทร:</source>
        <translation>Call note:</translation>
    </message>
    <message>
        <source>เช่น รับปากส่งก่อน 15.00 น. — พิมพ์แล้วกด Enter (เลือกหน่วยจากรายชื่อด้านบน)</source>
        <translation>e.g. promised before 15:00 — type and press Enter (pick the unit in the list above)</translation>
    </message>
    <message>
        <source>ความคืบหน้ารายแผน</source>
        <translation>Progress by plan row</translation>
    </message>
    <message>
        <source>ดูความคืบหน้ารายแผนหรือรายอำเภอ</source>
        <translation>Show the progress by plan row or by district</translation>
    </message>
    <message>
        <source>ชี้ที่แถวเพื่อดูชื่อหน่วยงานในแผน</source>
        <translation>Point at a row to see the plan row&apos;s agencies</translation>
    </message>
    <message>
        <source>หน่วย</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>{0} {1} (แผนลำดับที่ {2})</source>
        <translation>{0} {1} (plan row {2})</translation>
    </message>
    <message>
        <source>ผู้ประสานงาน</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>โทรศัพท์</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>โทรสาร</source>
        <translation>Fax</translation>
    </message>
    <message>
        <source>ยอดครั้งก่อน</source>
        <translation>Last figure</translation>
    </message>
    <message>
        <source>กำหนดส่ง</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>เลยกำหนด</source>
        <translation>overdue</translation>
    </message>
    <message>
        <source>บันทึกการโทรล่าสุด</source>
        <translation>Latest call note</translation>
    </message>
    <message>
        <source>คาดการณ์</source>
        <translation>Forecast</translation>
    </message>
    <message>
        <source>ต้องเร่ง</source>
        <translation>Behind pace</translation>
    </message>
    <message>
        <source>คาดว่าเมื่อสิ้นโครงการจะได้ต่ำกว่าเป้าหมายเกิน {0}%</source>
        <translation>Projected to end more than {0}% short of its target</translation>
    </message>
    <message>
        <source>แผน / อำเภอ</source>
        <translation>Plan row / district</translation>
    </message>
    <message>
        <source>สมาชิกเทียบเป้าหมาย</source>
        <translation>Members against quota</translation>
    </message>
    <message>
        <source>รายงาน</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>ส่งแล้ว {0} จาก {1} หน่วย</source>
        <translation>{0} of {1} units received</translation>
    </message>
    <message>
        <source>คาดการณ์เมื่อสิ้นโครงการ {0} คน ({1} ของเป้าหมาย)</source>
        <translation>Projected at the campaign&apos;s end: {0} people ({1} of the target)</translation>
    </message>
    <message>
        <source>ความคืบหน้ารายอำเภอ</source>
        <translation>Progress by district</translation>
    </message>
    <message>
        <source>▸ แสดงตัวเลขสรุป</source>
        <translation>▸ Show the summary figures</translation>
    </message>
    <message>
        <source>▾ ย่อตัวเลขสรุป</source>
        <translation>▾ Fold the summary figures</translation>
    </message>
    <message>
        <source>ตัวเลขบนหน้านี้เก็บไว้เมื่อปิดโปรแกรมครั้งก่อน อ่านจากฐานข้อมูลตอนนี้ไม่ได้:</source>
        <translation>These figures were kept when the desk last closed; the database cannot be read now:</translation>
    </message>
    <message>
        <source>ข้อมูล ณ</source>
        <translation>as of</translation>
    </message>
    <message>
        <source>หน่วยที่ถึงกำหนดรายงาน</source>
        <translation>units owing a report</translation>
    </message>
    <message>
        <source>อัตราการส่ง</source>
        <translation>reporting rate</translation>
    </message>
    <message>
        <source>ส่งทันเวลา</source>
        <translation>on-time rate</translation>
    </message>
    <message>
        <source>ส่งหลังกำหนด</source>
        <translation>after the deadline</translation>
    </message>
    <message>
        <source>ยังไม่ถึงกำหนด</source>
        <translation>not yet due</translation>
    </message>
    <message>
        <source>ต้องโทรตาม (เลยกำหนด) {0} หน่วย · ยังไม่ถึงกำหนด {1} หน่วย</source>
        <translation>To call (overdue) {0} units · not yet due {1} units</translation>
    </message>
    <message>
        <source>สมาชิกสะสมทั้งจังหวัด {0} คน จากเป้าหมาย {1} คน</source>
        <translation>Province: {0} members of a quota of {1}</translation>
    </message>
    <message>
        <source>คน</source>
        <translation>people</translation>
    </message>
    <message>
        <source>เพิ่มขึ้นจากสัปดาห์ก่อน</source>
        <translation>Up from last week by</translation>
    </message>
    <message>
        <source>ยังขาด</source>
        <translation>still short by</translation>
    </message>
    <message>
        <source>เป้าหมายรวมตามที่พิมพ์ในแผน</source>
        <translation>Quota as printed in the plan</translation>
    </message>
    <message>
        <source>คน (เป้าหมายคำนวณจากรายแผนต่างไป</source>
        <translation>people (the quota computed from the rows differs by</translation>
    </message>
    <message>
        <source>คน)</source>
        <translation>people)</translation>
    </message>
    <message>
        <source>เพื่อนใน LINE OA</source>
        <translation>LINE OA friends</translation>
    </message>
    <message>
        <source>คน (ณ</source>
        <translation>people (as of</translation>
    </message>
    <message>
        <source>คาดการณ์ ณ {0}: {1} คน ({2})</source>
        <translation>Projected for {0}: {1} people ({2})</translation>
    </message>
    <message>
        <source>คาดการณ์เมื่อสิ้นโครงการ ({0}): {1} คน ({2} ของเป้าหมาย)</source>
        <translation>Projected at the campaign&apos;s end ({0}): {1} people ({2} of the target)</translation>
    </message>
    <message>
        <source>ต้องเพิ่มสัปดาห์ละ {0} คน</source>
        <translation>{0} more people needed a week</translation>
    </message>
    <message>
        <source>ต้องเร่ง {0} หน่วย</source>
        <translation>{0} units behind pace</translation>
    </message>
    <message>
        <source>บันทึกการโทรถึง</source>
        <translation>Call note for</translation>
    </message>
    <message>
        <source>แล้ว</source>
        <translation>saved</translation>
    </message>
</context>
<context>
    <name>KeyRow</name>
    <message>
        <source>{0} นาที</source>
        <translation>{0} min</translation>
    </message>
    <message>
        <source>{0} ชม. {1} นาที</source>
        <translation>{0} h {1} min</translation>
    </message>
    <message>
        <source>{0} ชม.</source>
        <translation>{0} h</translation>
    </message>
    <message>
        <source>{0} วัน {1} ชม.</source>
        <translation>{0} d {1} h</translation>
    </message>
    <message>
        <source>{0} วัน</source>
        <translation>{0} d</translation>
    </message>
    <message>
        <source>กำลังบันทึก…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>✗ บันทึกไม่สำเร็จ: {0}</source>
        <translation>✗ Not saved: {0}</translation>
    </message>
    <message>
        <source>⚠ ต้องยืนยัน (F9): {0}</source>
        <translation>⚠ Confirm (F9): {0}</translation>
    </message>
    <message>
        <source>⚠ มีผู้อื่นบันทึก {0} คน: F9 ใช้ตัวเลขของท่าน · Esc ใช้ของเขา</source>
        <translation>⚠ Someone else saved {0} people: F9 keeps yours · Esc takes theirs</translation>
    </message>
    <message>
        <source>ยกเลิกแล้ว</source>
        <translation>Undone</translation>
    </message>
    <message>
        <source>ยังไม่ส่ง</source>
        <translation>Not received</translation>
    </message>
    <message>
        <source>ไม่ต้องส่งสัปดาห์นี้</source>
        <translation>Not due this week</translation>
    </message>
    <message>
        <source>ทันกำหนด (ตามที่ผู้บันทึกระบุ)</source>
        <translation>On time (as the clerk stated)</translation>
    </message>
    <message>
        <source>ช้า {0}</source>
        <translation>Late by {0}</translation>
    </message>
    <message>
        <source>ตรงเวลา</source>
        <translation>On time</translation>
    </message>
    <message>
        <source>✓ แก้ไขแล้ว (ฉบับที่ {0}) · {1}</source>
        <translation>✓ Corrected (version {0}) · {1}</translation>
    </message>
    <message>
        <source>✓ ตัวเลขเดิม · {0}</source>
        <translation>✓ Same figure · {0}</translation>
    </message>
    <message>
        <source>✓ บันทึกแล้ว · {0}</source>
        <translation>✓ Saved · {0}</translation>
    </message>
    <message>
        <source>ส่งแล้ว · {0}</source>
        <translation>Received · {0}</translation>
    </message>
    <message>
        <source>{0}
กด F9 เพื่อยืนยันว่าตัวเลขนี้ถูกต้อง หรือพิมพ์ตัวเลขใหม่</source>
        <translation>{0}
Press F9 to confirm this figure is right, or type a new one</translation>
    </message>
    <message>
        <source>สัปดาห์นี้ปิดแล้ว (ส่งตัวเลขไปแล้ว): ต้องระบุเหตุผลจึงจะบันทึกได้ พิมพ์ตัวเลขอีกครั้งเพื่อระบุ</source>
        <translation>This week is closed (its figures were sent): a reason is needed to save. Type the figure again to give one</translation>
    </message>
    <message>
        <source>การแก้ไขตัวเลขที่บันทึกแล้วต้องระบุเหตุผล พิมพ์ตัวเลขอีกครั้งเพื่อระบุ</source>
        <translation>Changing a saved figure needs a reason. Type the figure again to give one</translation>
    </message>
    <message>
        <source>ใช้ตัวเลขที่ผู้อื่นบันทึกไว้</source>
        <translation>Kept the figure someone else saved</translation>
    </message>
    <message>
        <source>ทันกำหนด (ก่อนเวลาส่ง)</source>
        <translation>On time (before the deadline)</translation>
    </message>
    <message>
        <source>เวลาที่พิมพ์</source>
        <translation>Time of keying</translation>
    </message>
    <message>
        <source>ไม่ระบุ</source>
        <translation>Not stated</translation>
    </message>
    <message>
        <source>{0}/{1} {2:02d}.{3:02d} น.</source>
        <translation>{0}/{1} {2:02d}:{3:02d}</translation>
    </message>
    <message>
        <source>เลิกทำ: ลบตัวเลข {0} ที่บันทึกไว้</source>
        <translation>Undo: removed the saved figure {0}</translation>
    </message>
    <message>
        <source>เลิกทำ: กลับไปใช้ {0} แทน {1}</source>
        <translation>Undo: back to {0} instead of {1}</translation>
    </message>
    <message>
        <source>{0}: ไม่ได้บันทึก — {1}</source>
        <translation>{0}: not saved — {1}</translation>
    </message>
    <message>
        <source>{0}
F9 = บันทึกตัวเลขของท่าน ({1}) แทน · Esc = ใช้ตัวเลขของผู้อื่น ({2})</source>
        <translation>{0}
F9 = save your figure ({1}) instead · Esc = keep the other figure ({2})</translation>
    </message>
    <message>
        <source>ผู้ประสานงาน {0}</source>
        <translation>Contact {0}</translation>
    </message>
    <message>
        <source>โทร {0}</source>
        <translation>Phone {0}</translation>
    </message>
    <message>
        <source>โทรสาร {0}</source>
        <translation>Fax {0}</translation>
    </message>
    <message>
        <source>เป้าหมาย {0} คน</source>
        <translation>Quota {0} people</translation>
    </message>
</context>
<context>
    <name>KeyingModel</name>
    <message>
        <source>รหัส</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>หน่วยรายงาน</source>
        <translation>Reporting unit</translation>
    </message>
    <message>
        <source>แผน</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>อำเภอ</source>
        <translation>District</translation>
    </message>
    <message>
        <source>ครั้งก่อน</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>สัปดาห์นี้</source>
        <translation>This week</translation>
    </message>
    <message>
        <source>สถานะ</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>ช่องทาง</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>ผู้รายงาน</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>โทรผู้รายงาน</source>
        <translation>Reporter&apos;s phone</translation>
    </message>
    <message>
        <source>เวลารับรายงาน</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>พิมพ์เวลารับรายงานของแถวนี้: 10:15 (วันกำหนดส่ง), 21 16:40 (วันที่ เวลา), ทัน (ทันกำหนด) หรือ now (เวลาที่พิมพ์)</source>
        <translation>Type when this row&apos;s report came: 10:15 (on the deadline&apos;s day), 21 16:40 (day and time), on-time, or now (the moment of keying)</translation>
    </message>
    <message>
        <source>ผู้ประสานงาน: {0}</source>
        <translation>Contact: {0}</translation>
    </message>
    <message>
        <source>โทรศัพท์: {0}</source>
        <translation>Phone: {0}</translation>
    </message>
    <message>
        <source>โทรสาร: {0}</source>
        <translation>Fax: {0}</translation>
    </message>
    <message>
        <source>เป้าหมาย {0} คน</source>
        <translation>Quota {0} people</translation>
    </message>
    <message>
        <source>ทันกำหนด</source>
        <translation>on time</translation>
    </message>
</context>
<context>
    <name>KeyingPage</name>
    <message>
        <source>บันทึกรายงานประจำสัปดาห์</source>
        <translation>Key in this week&apos;s reports</translation>
    </message>
    <message>
        <source>ยืนยันตัวเลขที่รอยืนยัน</source>
        <translation>Confirm the figure awaiting confirmation</translation>
    </message>
    <message>
        <source>ค้นหาหน่วย</source>
        <translation>Find a unit</translation>
    </message>
    <message>
        <source>สัปดาห์นี้ปิดแล้ว: ส่งตัวเลขไปแล้ว การบันทึกหรือแก้ไขทุกครั้งต้องระบุเหตุผล และจะแสดงเป็นการเปลี่ยนแปลงหลังปิดสัปดาห์</source>
        <translation>This week is closed: its figures were sent. Every entry or correction needs a reason and is listed as a change after closing</translation>
    </message>
    <message>
        <source>สัปดาห์นี้ปิดแล้ว (ส่งตัวเลขไปแล้ว) เหตุผลที่บันทึก</source>
        <translation>This week is closed (its figures were sent). Reason for entering</translation>
    </message>
    <message>
        <source>เหตุผลที่แก้เวลารับรายงานของ</source>
        <translation>Reason for changing the received time of</translation>
    </message>
    <message>
        <source>เหตุผลที่แก้ไข</source>
        <translation>Reason for the change</translation>
    </message>
    <message>
        <source>เป็น</source>
        <translation>to</translation>
    </message>
    <message>
        <source>เหตุผลการแก้ไข</source>
        <translation>Reason for the correction</translation>
    </message>
    <message>
        <source>ไม่ได้แก้เวลารับรายงาน: ต้องระบุเหตุผล</source>
        <translation>Received time not changed: a reason is needed</translation>
    </message>
    <message>
        <source>ไม่มีตัวเลขที่รอยืนยัน</source>
        <translation>No figure awaits confirmation</translation>
    </message>
    <message>
        <source>พิมพ์ตัวเลขสะสม (เลขไทยได้) แล้วกด Enter · Tab/↑/↓ เลื่อน · F9 ยืนยัน · Esc/Delete ยกเลิกตัวเลขที่พิมพ์ · Ctrl+Z เลิกทำ · Ctrl+Y ทำซ้ำ</source>
        <translation>Type the cumulative count (Thai digits accepted) and press Enter · Tab/↑/↓ move · F9 confirms · Esc/Delete drops a typed figure · Ctrl+Z undo · Ctrl+Y redo</translation>
    </message>
    <message>
        <source>แสดง</source>
        <translation>Showing</translation>
    </message>
    <message>
        <source>จาก</source>
        <translation>of</translation>
    </message>
    <message>
        <source>สัปดาห์ {0} · พิมพ์ตัวเลขแล้วกด Enter หรือ Tab หรือลูกศร เพื่อบันทึกและไปหน่วยถัดไป · รับเลขไทยได้ · F9 ยืนยัน · Esc ยกเลิกตัวเลขที่พิมพ์ · Ctrl+Z เลิกทำ · Ctrl+Y ทำซ้ำ</source>
        <translation>Week {0} · type a figure and press Enter, Tab or an arrow to save it and go to the next unit · Thai digits accepted · F9 confirms · Esc drops a typed figure · Ctrl+Z undo · Ctrl+Y redo</translation>
    </message>
    <message>
        <source>หน่วย · ส่งแล้ว</source>
        <translation>units · received</translation>
    </message>
    <message>
        <source>ยังไม่ได้บันทึก</source>
        <translation>not stored</translation>
    </message>
    <message>
        <source>รายการ</source>
        <translation>items</translation>
    </message>
</context>
<context>
    <name>KeyingWriter</name>
    <message>
        <source>เชื่อมต่อฐานข้อมูลไม่ได้</source>
        <translation>Cannot connect to the database</translation>
    </message>
    <message>
        <source>เชื่อมต่อฐานข้อมูลไม่ได้ · รอส่งใหม่</source>
        <translation>Cannot connect to the database · waiting to send again</translation>
    </message>
    <message>
        <source>ไม่มีรายการให้เลิกทำ</source>
        <translation>Nothing to undo</translation>
    </message>
    <message>
        <source>เลิกทำแล้ว:</source>
        <translation>Undone:</translation>
    </message>
    <message>
        <source>ไม่มีรายการให้ทำซ้ำ</source>
        <translation>Nothing to redo</translation>
    </message>
    <message>
        <source>ทำซ้ำแล้ว:</source>
        <translation>Redone:</translation>
    </message>
</context>
<context>
    <name>LinePage</name>
    <message>
        <source>ตัวเลขจากบัญชี LINE Official Account</source>
        <translation>Figures from the LINE Official Account</translation>
    </message>
    <message>
        <source>คัดลอกจากหน้าสถิติของ LINE OA Manager: จำนวนเพื่อน ผู้บล็อก กลุ่มเป้าหมายที่เข้าถึงได้ และข้อความที่ส่งแล้วในเดือนนี้</source>
        <translation>Copied from LINE OA Manager&apos;s statistics: friends, blocks, reachable audience and messages sent this month</translation>
    </message>
    <message>
        <source>ตัวเลข (เลขไทยได้)</source>
        <translation>Number (Thai digits accepted)</translation>
    </message>
    <message>
        <source>วันที่อ่านตัวเลข</source>
        <translation>Date read</translation>
    </message>
    <message>
        <source>จำนวนเพื่อน</source>
        <translation>Friends</translation>
    </message>
    <message>
        <source>จำนวนที่บล็อก</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <source>กลุ่มเป้าหมายที่เข้าถึงได้</source>
        <translation>Reachable audience</translation>
    </message>
    <message>
        <source>ข้อความที่ส่งแล้วในเดือนนี้</source>
        <translation>Messages sent this month</translation>
    </message>
    <message>
        <source>หมายเหตุ</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>บันทึกตัวเลข (Enter)</source>
        <translation>Save figures (Enter)</translation>
    </message>
    <message>
        <source>งบข้อความของเดือน</source>
        <translation>This month&apos;s message budget</translation>
    </message>
    <message>
        <source>เพื่อนใน OA</source>
        <translation>OA friends</translation>
    </message>
    <message>
        <source>ส่งถึงทุกคนได้อีก</source>
        <translation>Broadcasts left</translation>
    </message>
    <message>
        <source>ส่งแล้วเดือนนี้</source>
        <translation>Sent this month</translation>
    </message>
    <message>
        <source>ตัวเลขที่บันทึกไว้</source>
        <translation>Recorded figures</translation>
    </message>
    <message>
        <source>วันที่</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>เพื่อน</source>
        <translation>Friends</translation>
    </message>
    <message>
        <source>บล็อก</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <source>เข้าถึงได้</source>
        <translation>Reachable</translation>
    </message>
    <message>
        <source>ผู้บันทึก</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>ครั้ง (ครั้งละ</source>
        <translation>broadcasts (of</translation>
    </message>
    <message>
        <source>ข้อความ)</source>
        <translation>messages each)</translation>
    </message>
    <message>
        <source>จากโควตา</source>
        <translation>of the quota</translation>
    </message>
    <message>
        <source>ในอัตรานี้ โควตาข้อความจะหมดวันที่</source>
        <translation>At this rate the message quota runs out on</translation>
    </message>
    <message>
        <source>ในอัตรานี้ โควตาข้อความพอถึงสิ้นเดือน</source>
        <translation>At this rate the message quota lasts the month</translation>
    </message>
    <message>
        <source>ยอดสมาชิกที่หน่วยรายงานรวม</source>
        <translation>Members reported by the units</translation>
    </message>
    <message>
        <source>คน</source>
        <translation>people</translation>
    </message>
    <message>
        <source>⚠ ยอดที่หน่วยรายงานรวมกันมากกว่าจำนวนเพื่อนใน OA: อาจนับซ้ำกัน</source>
        <translation>⚠ The units report more members than the OA has friends: double counting?</translation>
    </message>
    <message>
        <source>ยังไม่มีตัวเลขจาก LINE OA: บันทึกตัวเลขทางซ้ายก่อน</source>
        <translation>No LINE OA figures yet: enter them on the left first</translation>
    </message>
    <message>
        <source>บันทึกตัวเลข LINE OA แล้ว</source>
        <translation>LINE OA figures saved</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source> — ฐานข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)</source>
        <translation> — demo database (not real data)</translation>
    </message>
    <message>
        <source>กำลังบันทึก…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>MaintenancePart</name>
    <message>
        <source>กำลังสำรองข้อมูล…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <source>กำลังกู้คืนข้อมูล…</source>
        <translation>Restoring…</translation>
    </message>
    <message>
        <source>กำลังบันทึกก่อนปิด…</source>
        <translation>Storing before closing…</translation>
    </message>
    <message>
        <source>กำลังสำรองข้อมูลก่อนปิด…</source>
        <translation>Backing up before closing…</translation>
    </message>
    <message>
        <source>ยังมีตัวเลขที่ยังไม่ได้บันทึก</source>
        <translation>Figures not stored</translation>
    </message>
    <message>
        <source>สำรองข้อมูลแล้ว: {0}</source>
        <translation>Backed up: {0}</translation>
    </message>
    <message>
        <source>สำรองข้อมูล</source>
        <translation>Back up</translation>
    </message>
    <message>
        <source>กู้คืนฐานข้อมูลจากไฟล์ {0} หรือไม่?
ข้อมูลปัจจุบันจะถูกสำรองเก็บไว้ก่อน</source>
        <translation>Restore the database from the file {0}?
The current data is backed up first.</translation>
    </message>
    <message>
        <source>กู้คืนข้อมูล</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>กู้คืนจาก {0} เรียบร้อยแล้ว</source>
        <translation>Restored from {0}</translation>
    </message>
    <message>
        <source>ข้อมูลเดิมเก็บไว้ที่ {0}</source>
        <translation>The previous data is kept at {0}</translation>
    </message>
    <message>
        <source>ตัวเลขต่อไปนี้พิมพ์ไว้แต่ยังไม่ได้บันทึก (รอยืนยัน ถูกปฏิเสธ หรือมีผู้อื่นแก้):</source>
        <translation>These figures were typed but are not stored (awaiting confirmation, refused, or changed by someone else):</translation>
    </message>
    <message>
        <source>ยืนยันและบันทึกทั้งหมดที่รอยืนยัน</source>
        <translation>Confirm and store them all</translation>
    </message>
    <message>
        <source>กลับไปตรวจ</source>
        <translation>Go back and check</translation>
    </message>
    <message>
        <source>ปิดโดยไม่บันทึกตัวเลขเหล่านี้</source>
        <translation>Close without storing them</translation>
    </message>
</context>
<context>
    <name>MenusPart</name>
    <message>
        <source>แฟ้ม</source>
        <translation>File</translation>
    </message>
    <message>
        <source>พิมพ์สรุปผลรายสัปดาห์…</source>
        <translation>Print the weekly summary…</translation>
    </message>
    <message>
        <source>พิมพ์หนังสือรายงานผู้ว่าราชการจังหวัด…</source>
        <translation>Print the letter to the governor…</translation>
    </message>
    <message>
        <source>พิมพ์หนังสือขอให้หน่วยที่ยังไม่รายงานรายงาน…</source>
        <translation>Print the reminder letter to units that have not reported…</translation>
    </message>
    <message>
        <source>พิมพ์บันทึกข้อความแจ้งหน่วยที่ยังไม่รายงาน…</source>
        <translation>Print the memo on units that have not reported…</translation>
    </message>
    <message>
        <source>พิมพ์แบบรายงานสำหรับหน่วย…</source>
        <translation>Print the report form for units…</translation>
    </message>
    <message>
        <source>พิมพ์โปสเตอร์ QR Code เพิ่มเพื่อน…</source>
        <translation>Print the add-friend QR posters…</translation>
    </message>
    <message>
        <source>ส่งออกสมุดงาน Excel…</source>
        <translation>Export the Excel workbook…</translation>
    </message>
    <message>
        <source>นำเข้าแบบรายงานจาก Excel…</source>
        <translation>Import report forms from Excel…</translation>
    </message>
    <message>
        <source>นำเข้าทะเบียนหน่วยจาก Excel…</source>
        <translation>Import units from Excel…</translation>
    </message>
    <message>
        <source>สำรองข้อมูลเดี๋ยวนี้</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <source>กู้คืนจากไฟล์สำรอง…</source>
        <translation>Restore from a backup…</translation>
    </message>
    <message>
        <source>ออกจากโปรแกรม</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>แก้ไข</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>เลิกทำการบันทึกล่าสุด</source>
        <translation>Undo the last entry</translation>
    </message>
    <message>
        <source>ทำซ้ำ</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>ยืนยันตัวเลขที่รอยืนยัน	F9</source>
        <translation>Confirm the figure awaiting confirmation	F9</translation>
    </message>
    <message>
        <source>หน้าจอ</source>
        <translation>Screens</translation>
    </message>
    <message>
        <source>ภาษา / Language</source>
        <translation>ภาษา / Language</translation>
    </message>
    <message>
        <source>ตามระบบ (System)</source>
        <translation>System</translation>
    </message>
    <message>
        <source>ช่วยเหลือ</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>แป้นลัด</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>จะใช้ภาษาที่เลือกเมื่อเปิดโปรแกรมครั้งถัดไป</source>
        <translation>The chosen language applies the next time the desk opens.</translation>
    </message>
    <message>
        <source>ไปหน้าจอต่าง ๆ</source>
        <translation>go to each screen</translation>
    </message>
    <message>
        <source>สัปดาห์ก่อน / ถัดไป</source>
        <translation>previous / next week</translation>
    </message>
    <message>
        <source>สัปดาห์ปัจจุบัน</source>
        <translation>Current week</translation>
    </message>
    <message>
        <source>เลือกสัปดาห์</source>
        <translation>choose a week</translation>
    </message>
    <message>
        <source>บันทึกตัวเลขและไปหน่วยถัดไป</source>
        <translation>store the figure and go to the next unit</translation>
    </message>
    <message>
        <source>ยืนยันตัวเลขที่รอยืนยัน หรือใช้ตัวเลขของท่านเมื่อมีผู้อื่นแก้</source>
        <translation>confirm a figure, or keep yours when someone else changed it</translation>
    </message>
    <message>
        <source>ยกเลิกตัวเลขที่พิมพ์ไว้แต่ยังไม่บันทึก</source>
        <translation>drop a typed figure that is not stored</translation>
    </message>
    <message>
        <source>เลิกทำ / ทำซ้ำ</source>
        <translation>undo / redo</translation>
    </message>
    <message>
        <source>ค้นหาหน่วย</source>
        <translation>Find a unit</translation>
    </message>
    <message>
        <source>พิมพ์สรุปรายงาน</source>
        <translation>print the summary</translation>
    </message>
    <message>
        <source>ส่งออกสมุดงาน Excel</source>
        <translation>Export an Excel workbook</translation>
    </message>
    <message>
        <source>นำเข้าแบบรายงานจาก Excel</source>
        <translation>Import report forms from Excel</translation>
    </message>
    <message>
        <source>นำเข้าทะเบียนหน่วยจาก Excel</source>
        <translation>Import the unit list from Excel</translation>
    </message>
    <message>
        <source>กู้คืนจากไฟล์สำรอง</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <source>เพิ่มหน่วย (หน้าทะเบียนหน่วย)</source>
        <translation>Add a unit (Units screen)</translation>
    </message>
    <message>
        <source>แก้ไข / เลิกใช้หน่วยที่เลือก (ทะเบียนหน่วย)</source>
        <translation>Edit / retire the selected unit (Units screen)</translation>
    </message>
    <message>
        <source>ประวัติหน่วย (ทะเบียนหน่วย)</source>
        <translation>Unit history (Units screen)</translation>
    </message>
    <message>
        <source>บันทึกการตั้งค่า (หน้าตั้งค่า)</source>
        <translation>Save the settings (Settings screen)</translation>
    </message>
    <message>
        <source>รายการแป้นลัดนี้</source>
        <translation>This list of shortcuts</translation>
    </message>
    <message>
        <source>เปิดเมนู แล้วใช้ลูกศรหรือตัวอักษรที่ขีดเส้นใต้</source>
        <translation>Open the menu, then use the arrows or the underlined letters</translation>
    </message>
    <message>
        <source>เปิดโฟลเดอร์บันทึกการทำงาน</source>
        <translation>Open the log folder</translation>
    </message>
</context>
<context>
    <name>OpeningPart</name>
    <message>
        <source>กำลังตรวจและเปิดฐานข้อมูล…</source>
        <translation>Checking and opening the database…</translation>
    </message>
    <message>
        <source>เปิดฐานข้อมูลไม่ได้</source>
        <translation>The database cannot be opened</translation>
    </message>
    <message>
        <source>เปิดฐานข้อมูล {0} ไม่ได้: {1}</source>
        <translation>The database {0} cannot be opened: {1}</translation>
    </message>
    <message>
        <source> — ฐานข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)</source>
        <translation> — demo database (not real data)</translation>
    </message>
    <message>
        <source>ฐานข้อมูล:</source>
        <translation>Database:</translation>
    </message>
    <message>
        <source>(กำลังตรวจและเปิด…)</source>
        <translation>(checking and opening…)</translation>
    </message>
    <message>
        <source>ฐานข้อมูลบนเครื่องแม่ข่ายสำรองโดยผู้ดูแลระบบ</source>
        <translation>A server database is backed up by its administrator</translation>
    </message>
    <message>
        <source>เปิดแบบอ่านอย่างเดียว: {0}  (เมนู แฟ้ม &gt; กู้คืนจากไฟล์สำรอง)</source>
        <translation>Opened read-only: {0}  (menu File &gt; Restore from a backup)</translation>
    </message>
    <message>
        <source>ฐานข้อมูลเสียหาย</source>
        <translation>the database is damaged</translation>
    </message>
    <message>
        <source>สำรองข้อมูลอัตโนมัติไม่สำเร็จ: {0}</source>
        <translation>The automatic backup failed: {0}</translation>
    </message>
    <message>
        <source>ฐานข้อมูลตัวอย่างสำหรับทดลองใช้: ตัวเลข หน่วย ผู้ประสานงาน และเบอร์โทรทั้งหมดสร้างขึ้น ไม่ใช่ข้อมูลจริง และไม่ปนกับฐานข้อมูลจริงของสำนักงาน</source>
        <translation>Demo database for practice: every figure, unit, contact and phone number is generated, not real, and never mixed with the office&apos;s real database</translation>
    </message>
    <message>
        <source>กำลังสร้างข้อมูลตัวอย่าง… (ครั้งแรกเท่านั้น)</source>
        <translation>Generating the demo data… (first time only)</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>เชื่อมต่อฐานข้อมูลไม่ได้ กำลังลองใหม่</source>
        <translation>cannot connect to the database, trying again</translation>
    </message>
    <message>
        <source>ยังไม่มีตัวเลข</source>
        <translation>no figures yet</translation>
    </message>
    <message>
        <source>ตัวเลข ณ</source>
        <translation>Figures as of</translation>
    </message>
    <message>
        <source>เชื่อมต่อฐานข้อมูลไม่ได้</source>
        <translation>Cannot connect to the database</translation>
    </message>
</context>
<context>
    <name>PrintDialog</name>
    <message>
        <source>สรุปผลรายสัปดาห์</source>
        <translation>Weekly summary</translation>
    </message>
    <message>
        <source>หนังสือรายงานผู้ว่าราชการจังหวัด</source>
        <translation>Report letter to the provincial governor</translation>
    </message>
    <message>
        <source>หนังสือขอให้หน่วยที่ยังไม่รายงานรายงาน (ว)</source>
        <translation>Circular letter asking units that have not reported to report (ว)</translation>
    </message>
    <message>
        <source>บันทึกข้อความแจ้งหน่วยที่ยังไม่รายงาน</source>
        <translation>Memo on the units that have not reported</translation>
    </message>
    <message>
        <source>แบบรายงาน (สำหรับหน่วยกรอกและส่งโทรสาร)</source>
        <translation>Report form (for units to fill in and fax)</translation>
    </message>
    <message>
        <source>โปสเตอร์ QR Code เพิ่มเพื่อน</source>
        <translation>Add-friend QR code poster</translation>
    </message>
    <message>
        <source>ออกเลขที่หนังสือ {0} แล้ว</source>
        <translation>Letter number {0} issued</translation>
    </message>
    <message>
        <source>พิมพ์ซ้ำเลขที่ {0}</source>
        <translation>Reprint of number {0}</translation>
    </message>
    <message>
        <source>เลขจากทะเบียนกลางที่จะใช้เมื่อพิมพ์หรือบันทึก: {0}</source>
        <translation>Central register number used when printed or saved: {0}</translation>
    </message>
    <message>
        <source>เลขที่หนังสือที่จะใช้เมื่อพิมพ์หรือบันทึก: {0}</source>
        <translation>Letter number used when printed or saved: {0}</translation>
    </message>
    <message>
        <source>พิมพ์เอกสาร</source>
        <translation>Print documents</translation>
    </message>
    <message>
        <source>ออกเลขถัดไปของโต๊ะ</source>
        <translation>The desk&apos;s next number</translation>
    </message>
    <message>
        <source>ใช้เลขจากทะเบียนกลาง</source>
        <translation>A number from the central register</translation>
    </message>
    <message>
        <source>พิมพ์ซ้ำเลขที่เดิม</source>
        <translation>Reprint an issued number</translation>
    </message>
    <message>
        <source>เมื่อเลขนี้เคยออกไปแล้ว: เหตุที่ฉบับเดิมเสีย</source>
        <translation>If this number was issued before: why that letter is spoiled</translation>
    </message>
    <message>
        <source>เอกสาร</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>สัปดาห์</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>เรียน</source>
        <translation>To</translation>
    </message>
    <message>
        <source>เลขที่หนังสือ</source>
        <translation>Letter number</translation>
    </message>
    <message>
        <source>แทนฉบับที่เสีย</source>
        <translation>Replaces a spoiled letter</translation>
    </message>
    <message>
        <source>สำหรับ</source>
        <translation>For</translation>
    </message>
    <message>
        <source>ขนาดกระดาษ</source>
        <translation>Paper size</translation>
    </message>
    <message>
        <source>QR เปิด</source>
        <translation>QR opens</translation>
    </message>
    <message>
        <source>พิมพ์…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>บันทึกเป็น PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>ปิด</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>◀ หน้าก่อน</source>
        <translation>◀ Previous page</translation>
    </message>
    <message>
        <source>หน้าถัดไป ▶</source>
        <translation>Next page ▶</translation>
    </message>
    <message>
        <source>กำลังอ่านข้อมูล…</source>
        <translation>Reading the data…</translation>
    </message>
    <message>
        <source>ยังไม่ได้ตั้งค่า</source>
        <translation>not set yet</translation>
    </message>
    <message>
        <source>แบบว่าง (ไม่ระบุหน่วย)</source>
        <translation>Blank form (no unit named)</translation>
    </message>
    <message>
        <source>ทุกหน่วยในลำดับที่ {0}</source>
        <translation>Every unit of plan row {0}</translation>
    </message>
    <message>
        <source>ไม่ระบุหน่วย</source>
        <translation>No unit named</translation>
    </message>
    <message>
        <source>ทุกหน่วย (หนึ่งแผ่นต่อหน่วย)</source>
        <translation>Every unit (one sheet per unit)</translation>
    </message>
    <message>
        <source>ยังไม่มีลิงก์: ตั้ง LINE ID ของบัญชีในหน้าตั้งค่า</source>
        <translation>No link yet: set the account&apos;s LINE ID in Settings</translation>
    </message>
    <message>
        <source>ลิงก์ย่อ lin.ee: ตรวจไม่ได้ว่าเปิดบัญชีใด ลองสแกนก่อนพิมพ์</source>
        <translation>A lin.ee short link: which account it opens cannot be checked; scan it before printing</translation>
    </message>
    <message>
        <source>ไม่ตรงกับ LINE ID</source>
        <translation>does not match the LINE ID</translation>
    </message>
    <message>
        <source>กำลังสร้างเอกสาร…</source>
        <translation>Making the document…</translation>
    </message>
    <message>
        <source>บันทึกแล้ว</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>สร้างเอกสารไม่ได้: {0}</source>
        <translation>The document could not be made: {0}</translation>
    </message>
    <message>
        <source>หน้า {0} จาก {1}</source>
        <translation>Page {0} of {1}</translation>
    </message>
    <message>
        <source>แสดงหน้าเอกสารไม่ได้: {0}</source>
        <translation>The page could not be shown: {0}</translation>
    </message>
    <message>
        <source>กำลังส่งไปยังเครื่องพิมพ์…</source>
        <translation>Sending to the printer…</translation>
    </message>
    <message>
        <source>ยกเลิก</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>เปิดเครื่องพิมพ์ไม่ได้</source>
        <translation>The printer could not be opened</translation>
    </message>
    <message>
        <source>พิมพ์ไม่สำเร็จ: {0}</source>
        <translation>Printing failed: {0}</translation>
    </message>
    <message>
        <source>บันทึกเป็น PDF</source>
        <translation>Save as PDF</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <source>ใช่</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>ไม่ใช่</source>
        <translation>No</translation>
    </message>
    <message>
        <source>ตกลง</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>ยกเลิก</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>เลือกไฟล์สำรองที่จะกู้คืน</source>
        <translation>Choose the backup file to restore</translation>
    </message>
    <message>
        <source>ฐานข้อมูลสำรอง (*.sqlite3);;ทุกไฟล์ (*)</source>
        <translation>Database backups (*.sqlite3);;All files (*)</translation>
    </message>
</context>
<context>
    <name>ReceivedBar</name>
    <message>
        <source>ระบุเมื่อเลยกำหนด (ก่อนกำหนด = เวลาที่พิมพ์)</source>
        <translation>Ask once past the deadline (before it: the time of keying)</translation>
    </message>
    <message>
        <source>ทันกำหนด (ก่อนเวลาส่ง)</source>
        <translation>On time (before the deadline)</translation>
    </message>
    <message>
        <source>เวลาที่พิมพ์นี้</source>
        <translation>The time of keying</translation>
    </message>
    <message>
        <source>เวลาที่ระบุ:</source>
        <translation>The time given:</translation>
    </message>
    <message>
        <source>เวลารับรายงาน:</source>
        <translation>Received time:</translation>
    </message>
    <message>
        <source>เลยกำหนดส่งแล้วต้องระบุเวลารับ: พิมพ์ในช่องเวลารับรายงานของแถว (เช่น 10:15, 21 16:40, ทัน) หรือเลือกที่นี่</source>
        <translation>Past the deadline the received time is needed: type it in the row&apos;s received cell (e.g. 10:15, 21 16:40, on-time) or choose here</translation>
    </message>
    <message>
        <source>บันทึกเวลารับเป็นเวลากำหนดส่ง และทำเครื่องหมายไว้</source>
        <translation>Records the deadline as the received time, marked as such</translation>
    </message>
    <message>
        <source>ใช้เวลาขณะกดบันทึกของแต่ละตัวเลข</source>
        <translation>each figure takes the moment it is keyed</translation>
    </message>
</context>
<context>
    <name>RegisterPage</name>
    <message>
        <source>ใช้แทนฉบับที่ยกเลิก</source>
        <translation>replaces a spoiled letter</translation>
    </message>
    <message>
        <source>ออกเลขแล้ว</source>
        <translation>numbered</translation>
    </message>
    <message>
        <source>ยกเลิก: {0}</source>
        <translation>spoiled: {0}</translation>
    </message>
    <message>
        <source>ทะเบียนหนังสือส่ง</source>
        <translation>Outgoing register</translation>
    </message>
    <message>
        <source>หนังสือ หนังสือเวียน (ว) และบันทึกข้อความทุกฉบับที่ออกเลขจากโปรแกรม เก็บไฟล์ PDF ตามที่ส่งจริง พิมพ์ซ้ำได้ตรงตามต้นฉบับ</source>
        <translation>Every letter, circular (ว) and memo numbered by the desk, with its PDF as it went out: a reprint gives the same pages</translation>
    </message>
    <message>
        <source>ทุกปี</source>
        <translation>All years</translation>
    </message>
    <message>
        <source>ทุกชุด</source>
        <translation>All series</translation>
    </message>
    <message>
        <source>หนังสือและบันทึก</source>
        <translation>Letters and memos</translation>
    </message>
    <message>
        <source>หนังสือเวียน (ว)</source>
        <translation>Circulars (ว)</translation>
    </message>
    <message>
        <source>ทุกสัปดาห์</source>
        <translation>All weeks</translation>
    </message>
    <message>
        <source>ปี พ.ศ.</source>
        <translation>Year (B.E.)</translation>
    </message>
    <message>
        <source>ชุด</source>
        <translation>Series</translation>
    </message>
    <message>
        <source>สัปดาห์</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>พิมพ์ซ้ำ (บันทึก PDF)…</source>
        <translation>Reprint (save PDF)…</translation>
    </message>
    <message>
        <source>บันทึกการส่ง…</source>
        <translation>Record sending…</translation>
    </message>
    <message>
        <source>ยกเลิกเลขที่…</source>
        <translation>Spoil…</translation>
    </message>
    <message>
        <source>ส่งออก Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>ที่</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>ลงวันที่</source>
        <translation>Dated</translation>
    </message>
    <message>
        <source>ถึง</source>
        <translation>To</translation>
    </message>
    <message>
        <source>เรื่อง</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>ผู้ออกเลข</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>การส่ง</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>สถานะ</source>
        <translation>State</translation>
    </message>
    <message>
        <source>ยังไม่มีหนังสือในทะเบียน: หนังสือที่พิมพ์หรือบันทึกจากเมนูพิมพ์จะลงทะเบียนที่นี่</source>
        <translation>No letter in the register yet: letters printed or saved from the print menu are registered here</translation>
    </message>
    <message>
        <source>เลือกหนังสือเพื่อพิมพ์ซ้ำ บันทึกการส่ง หรือยกเลิก</source>
        <translation>Choose a letter to reprint it, record its sending or spoil it</translation>
    </message>
    <message>
        <source>บันทึกหนังสือ {0} ตามต้นฉบับแล้ว: {1}</source>
        <translation>Letter {0} saved as issued: {1}</translation>
    </message>
    <message>
        <source>บันทึกการส่งหนังสือ {0} แล้ว</source>
        <translation>Sending of letter {0} recorded</translation>
    </message>
    <message>
        <source>ยกเลิกหนังสือ {0} แล้ว</source>
        <translation>Letter {0} spoiled</translation>
    </message>
    <message>
        <source>ส่งออกทะเบียนหนังสือส่ง {0} รายการ: {1}</source>
        <translation>Outgoing register exported, {0} letters: {1}</translation>
    </message>
    <message>
        <source>พิมพ์ซ้ำ: บันทึกเป็น PDF</source>
        <translation>Reprint: save as PDF</translation>
    </message>
    <message>
        <source>ยกเลิกเลขที่หนังสือ</source>
        <translation>Spoil a letter</translation>
    </message>
    <message>
        <source>เหตุผลที่ยกเลิกหนังสือ {0} (ฉบับเดิมยังเก็บไว้ในทะเบียน)</source>
        <translation>Why is letter {0} spoiled? (it stays in the register)</translation>
    </message>
    <message>
        <source>ส่งออกทะเบียนหนังสือส่ง</source>
        <translation>Export the outgoing register</translation>
    </message>
</context>
<context>
    <name>RegistryPage</name>
    <message>
        <source>ทะเบียนแผนและหน่วยรายงาน</source>
        <translation>Plan rows and reporting units</translation>
    </message>
    <message>
        <source>แผนการเผยแพร่ประชาสัมพันธ์: เป้าหมายรายแผน</source>
        <translation>Publicity plan: quota by row</translation>
    </message>
    <message>
        <source>แก้ไขเป้าหมายแผน…</source>
        <translation>Change the row&apos;s quota…</translation>
    </message>
    <message>
        <source>หน่วยรายงาน</source>
        <translation>Reporting unit</translation>
    </message>
    <message>
        <source>ค้นหา รหัส ชื่อ ผู้ประสานงาน เบอร์โทร (Ctrl+F)</source>
        <translation>Search code, name, contact, phone (Ctrl+F)</translation>
    </message>
    <message>
        <source>ทุกแผน</source>
        <translation>All plan rows</translation>
    </message>
    <message>
        <source>แสดงหน่วยที่ยกเลิกแล้ว</source>
        <translation>Show retired units</translation>
    </message>
    <message>
        <source>เพิ่มหน่วย (Ctrl+N)</source>
        <translation>Add unit (Ctrl+N)</translation>
    </message>
    <message>
        <source>แก้ไข (Enter)</source>
        <translation>Edit (Enter)</translation>
    </message>
    <message>
        <source>ยกเลิกหน่วย (Delete)</source>
        <translation>Retire (Delete)</translation>
    </message>
    <message>
        <source>นำกลับมาใช้</source>
        <translation>Reactivate</translation>
    </message>
    <message>
        <source>ประวัติการรายงาน (Ctrl+H)</source>
        <translation>Report history (Ctrl+H)</translation>
    </message>
    <message>
        <source>เพิ่มหน่วย</source>
        <translation>Add unit</translation>
    </message>
    <message>
        <source>ค้นหา</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>ประวัติ</source>
        <translation>History</translation>
    </message>
    <message>
        <source>ลำดับ</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>เป้าหมาย/หน่วยงานรับผิดชอบ</source>
        <translation>Target / responsible agencies</translation>
    </message>
    <message>
        <source>เป้าหมายแผน (คน)</source>
        <translation>Row quota (people)</translation>
    </message>
    <message>
        <source>รวมเป้าหน่วย</source>
        <translation>Units&apos; quotas</translation>
    </message>
    <message>
        <source>หน่วย</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>ใช้งาน ตั้งแต่ {0}</source>
        <translation>Active since {0}</translation>
    </message>
    <message>
        <source>ใช้งาน</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>ยกเลิก {0}</source>
        <translation>Retired {0}</translation>
    </message>
    <message>
        <source>ยกเลิก</source>
        <translation>Retired</translation>
    </message>
    <message>
        <source>รหัส</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>ชื่อหน่วย</source>
        <translation>Unit name</translation>
    </message>
    <message>
        <source>แผน</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>ประเภท</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>อำเภอ</source>
        <translation>District</translation>
    </message>
    <message>
        <source>เป้าหมาย</source>
        <translation>Quota</translation>
    </message>
    <message>
        <source>ผู้ประสานงาน</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>โทรศัพท์</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>โทรสาร</source>
        <translation>Fax</translation>
    </message>
    <message>
        <source>อีเมล</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>สถานะ</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>รวมเป้าหมายทุกแผน (คำนวณจากรายแผน):</source>
        <translation>Quota of all rows (computed from the rows):</translation>
    </message>
    <message>
        <source>คน</source>
        <translation>people</translation>
    </message>
    <message>
        <source>ยอดรวมตามที่พิมพ์ในแผน:</source>
        <translation>Total as printed in the plan:</translation>
    </message>
    <message>
        <source>ต่างกัน</source>
        <translation>difference</translation>
    </message>
    <message>
        <source>(ตัวเลขทุกหน้าจอใช้ยอดที่คำนวณ)</source>
        <translation>(every screen uses the computed total)</translation>
    </message>
    <message>
        <source>ยกเลิกหน่วย</source>
        <translation>Retire unit</translation>
    </message>
    <message>
        <source>ยกเลิกหน่วย {0} {1} ตั้งแต่วันนี้
รายงานเดิมยังอยู่ครบ แต่จะไม่ถูกนับว่าต้องส่งอีก
เหตุผล:</source>
        <translation>Retire unit {0} {1} from today
Its reports stay, but it is no longer counted as due
Reason:</translation>
    </message>
    <message>
        <source>แก้ไขเป้าหมายแผน</source>
        <translation>Change a row&apos;s quota</translation>
    </message>
    <message>
        <source>เป้าหมายของแผนลำดับที่ {0} (คน):</source>
        <translation>Quota of plan row {0} (people):</translation>
    </message>
    <message>
        <source>เหตุผลที่แก้ไข:</source>
        <translation>Reason for the change:</translation>
    </message>
    <message>
        <source>ทะเบียนหน่วย</source>
        <translation>Registry</translation>
    </message>
</context>
<context>
    <name>ScreensPart</name>
    <message>
        <source>สัปดาห์นี้</source>
        <translation>This week</translation>
    </message>
    <message>
        <source>บันทึกรายงาน</source>
        <translation>Key in reports</translation>
    </message>
    <message>
        <source>ทะเบียนหน่วย</source>
        <translation>Registry</translation>
    </message>
    <message>
        <source>แนวโน้ม</source>
        <translation>Trends</translation>
    </message>
    <message>
        <source>ประวัติหน่วย</source>
        <translation>Unit history</translation>
    </message>
    <message>
        <source>ตัวเลข LINE OA</source>
        <translation>LINE OA figures</translation>
    </message>
    <message>
        <source>ทะเบียนหนังสือส่ง</source>
        <translation>Outgoing register</translation>
    </message>
    <message>
        <source>ตั้งค่า</source>
        <translation>Settings</translation>
    </message>
</context>
<context>
    <name>SentDialog</name>
    <message>
        <source>บันทึกการส่งหนังสือ {0}</source>
        <translation>Record the sending of letter {0}</translation>
    </message>
    <message>
        <source>ส่งโดย</source>
        <translation>Sent by</translation>
    </message>
    <message>
        <source>เมื่อ (เวลาไทย)</source>
        <translation>When (Thai time)</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>โฟลเดอร์</source>
        <translation>Folders</translation>
    </message>
    <message>
        <source>สำนักงานและหนังสือราชการ</source>
        <translation>Office and official letters</translation>
    </message>
    <message>
        <source>บัญชี LINE OA และโครงการ</source>
        <translation>LINE OA account and campaign</translation>
    </message>
    <message>
        <source>เอกสารที่พิมพ์</source>
        <translation>Printed documents</translation>
    </message>
    <message>
        <source>การตรวจตัวเลขที่บันทึก</source>
        <translation>Checks on keyed figures</translation>
    </message>
    <message>
        <source>อื่น ๆ</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>อัตโนมัติ (TH Sarabun New ถ้ามีในเครื่อง ไม่มีจึงใช้ Sarabun)</source>
        <translation>Automatic (TH Sarabun New if this PC has it, else Sarabun)</translation>
    </message>
    <message>
        <source>TH Sarabun New</source>
        <translation>TH Sarabun New</translation>
    </message>
    <message>
        <source>Sarabun (ที่มากับโปรแกรม)</source>
        <translation>Sarabun (comes with the desk)</translation>
    </message>
    <message>
        <source>เลขไทย (๑๒๓)</source>
        <translation>Thai digits (๑๒๓)</translation>
    </message>
    <message>
        <source>เลขอารบิก (123)</source>
        <translation>Arabic digits (123)</translation>
    </message>
    <message>
        <source>ไม่ระบุชั้นความเร็ว</source>
        <translation>No urgency mark</translation>
    </message>
    <message>
        <source>ด่วน</source>
        <translation>ด่วน (urgent)</translation>
    </message>
    <message>
        <source>ด่วนมาก</source>
        <translation>ด่วนมาก (very urgent)</translation>
    </message>
    <message>
        <source>ด่วนที่สุด</source>
        <translation>ด่วนที่สุด (most urgent)</translation>
    </message>
    <message>
        <source>เลือก…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>ตั้งค่า</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>บันทึกการตั้งค่า (Ctrl+S)</source>
        <translation>Save settings (Ctrl+S)</translation>
    </message>
    <message>
        <source>คืนค่าที่บันทึกไว้</source>
        <translation>Revert to saved</translation>
    </message>
    <message>
        <source>ภาษาของหน้าจอเลือกได้ที่เมนู ภาษา / Language และจะเปลี่ยนเมื่อเปิดโปรแกรมครั้งถัดไป (ต้องปิดแล้วเปิดโปรแกรมใหม่)</source>
        <translation>The language of the screens is chosen in the menu ภาษา / Language; a new choice applies the next time the desk opens (close the desk and open it again).</translation>
    </message>
    <message>
        <source>บันทึกการตั้งค่า</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <source>เปิดโฟลเดอร์</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>ไฟล์ฐานข้อมูล (โฟลเดอร์ข้อมูล)</source>
        <translation>Database file (data folder)</translation>
    </message>
    <message>
        <source>เปลี่ยนโฟลเดอร์ข้อมูลได้ด้วย --db หรือตัวแปร RAYONG_HOME / RAYONG_DB ตอนเปิดโปรแกรม</source>
        <translation>Choose another data folder with --db or RAYONG_HOME / RAYONG_DB when starting</translation>
    </message>
    <message>
        <source>สำเนาสำรองเก็บที่</source>
        <translation>Backups are kept in</translation>
    </message>
    <message>
        <source>postgresql://ผู้ใช้:รหัสผ่าน@เครื่องแม่ข่าย/ชื่อฐานข้อมูล</source>
        <translation>postgresql://user:password@server/database</translation>
    </message>
    <message>
        <source>บันทึก</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>ฐานข้อมูลบนเครื่องแม่ข่าย (ใช้ร่วมกันหลายคน)</source>
        <translation>Server database (shared by several clerks)</translation>
    </message>
    <message>
        <source>เว้นว่าง = ใช้ไฟล์ในเครื่องนี้ · มีผลเมื่อเปิดโปรแกรมครั้งถัดไป</source>
        <translation>Leave empty to use this PC&apos;s file · applies the next time the desk opens</translation>
    </message>
    <message>
        <source>ต้องขึ้นต้นด้วย postgresql:// (เช่น postgresql://desk:รหัส@server/rayong)</source>
        <translation>Must start with postgresql:// (e.g. postgresql://desk:password@server/rayong)</translation>
    </message>
    <message>
        <source>บันทึกแล้ว มีผลเมื่อเปิดโปรแกรมครั้งถัดไป</source>
        <translation>Saved; applies the next time the desk opens</translation>
    </message>
    <message>
        <source>บันทึกแล้ว: ครั้งหน้าจะใช้ไฟล์ในเครื่องนี้</source>
        <translation>Saved: next time the desk uses this PC&apos;s file</translation>
    </message>
    <message>
        <source>ฐานข้อมูลบนเครื่องแม่ข่ายสำรองโดยผู้ดูแลระบบ</source>
        <translation>A server database is backed up by its administrator</translation>
    </message>
    <message>
        <source>เลือกโฟลเดอร์</source>
        <translation>Choose a folder</translation>
    </message>
    <message>
        <source>ไม่มีการเปลี่ยนแปลง</source>
        <translation>Nothing changed</translation>
    </message>
    <message>
        <source>บันทึกแล้ว</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>รายการ</source>
        <translation>items</translation>
    </message>
    <message>
        <source>ไม่ได้บันทึก</source>
        <translation>not saved</translation>
    </message>
    <message>
        <source>รายการ (ดูข้อความสีแดง)</source>
        <translation>items (see the red messages)</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <source>ยังไม่มีข้อมูล</source>
        <translation>No data yet</translation>
    </message>
    <message>
        <source>สัปดาห์นี้</source>
        <translation>This week</translation>
    </message>
</context>
<context>
    <name>TrendsPage</name>
    <message>
        <source>แนวโน้มจำนวนสมาชิกสะสม</source>
        <translation>Cumulative members over time</translation>
    </message>
    <message>
        <source>รายแผน: สมาชิกสะสมเทียบเป้าหมายของแต่ละแผน</source>
        <translation>By plan row: cumulative members against each row&apos;s quota</translation>
    </message>
    <message>
        <source>กราฟ</source>
        <translation>Charts</translation>
    </message>
    <message>
        <source>ดูกราฟรายแผนหรือรายอำเภอ</source>
        <translation>Show the charts by plan row or by district</translation>
    </message>
    <message>
        <source>ตาราง</source>
        <translation>Table</translation>
    </message>
    <message>
        <source>คาดการณ์ถึงสิ้นโครงการ</source>
        <translation>Projection to the campaign&apos;s end</translation>
    </message>
    <message>
        <source>เป้าหมายรวม</source>
        <translation>Total quota</translation>
    </message>
    <message>
        <source>ตามที่พิมพ์ในแผน</source>
        <translation>as printed in the plan</translation>
    </message>
    <message>
        <source>สมาชิกสะสมตามรายงาน</source>
        <translation>Members reported (cumulative)</translation>
    </message>
    <message>
        <source>เพื่อนใน LINE OA</source>
        <translation>LINE OA friends</translation>
    </message>
    <message>
        <source>ทั้งจังหวัด</source>
        <translation>Province</translation>
    </message>
    <message>
        <source>รายสัปดาห์</source>
        <translation>Weekly</translation>
    </message>
    <message>
        <source>รายอำเภอ: สมาชิกสะสมเทียบเป้าหมายของแต่ละอำเภอ</source>
        <translation>By district: cumulative members against each district&apos;s target</translation>
    </message>
    <message>
        <source>สมาชิกสะสม</source>
        <translation>Cumulative members</translation>
    </message>
    <message>
        <source>เป้า</source>
        <translation>Quota</translation>
    </message>
    <message>
        <source>คาดการณ์เมื่อสิ้นโครงการ {0} คน ({1} ของเป้าหมาย)</source>
        <translation>Projected at the campaign&apos;s end: {0} people ({1} of the target)</translation>
    </message>
    <message>
        <source>ไม่สังกัดอำเภอ (หน่วยงานระดับจังหวัด)</source>
        <translation>No district (provincial agencies)</translation>
    </message>
    <message>
        <source>แผน</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>ไม่สังกัดอำเภอ</source>
        <translation>No district</translation>
    </message>
    <message>
        <source>ล่าสุด</source>
        <translation>Latest</translation>
    </message>
    <message>
        <source>คน</source>
        <translation>people</translation>
    </message>
    <message>
        <source>ของเป้าหมาย</source>
        <translation>of the quota</translation>
    </message>
    <message>
        <source>ชี้เมาส์หรือกดลูกศรซ้าย/ขวาบนกราฟเพื่อดูตัวเลขแต่ละสัปดาห์</source>
        <translation>point at the chart or use the left/right arrows to read each week</translation>
    </message>
    <message>
        <source>สัปดาห์</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>ช่วงวันที่</source>
        <translation>Dates</translation>
    </message>
    <message>
        <source>% เป้าหมาย</source>
        <translation>% of quota</translation>
    </message>
    <message>
        <source>เพื่อน LINE OA</source>
        <translation>LINE OA friends</translation>
    </message>
</context>
<context>
    <name>UnitDialog</name>
    <message>
        <source>แก้ไขหน่วย</source>
        <translation>Edit unit</translation>
    </message>
    <message>
        <source>เพิ่มหน่วยรายงาน</source>
        <translation>Add a reporting unit</translation>
    </message>
    <message>
        <source>อักษรอังกฤษ ตัวเลข - _ . เช่น SAO-KLG-03</source>
        <translation>Latin letters, digits, - _ . e.g. SAO-KLG-03</translation>
    </message>
    <message>
        <source>ไม่ระบุ</source>
        <translation>Not given</translation>
    </message>
    <message>
        <source>เว้นว่าง = ค่าขั้นต่ำตามประเภท (อปท. 300)</source>
        <translation>blank = the kind&apos;s minimum (local administrations: 300)</translation>
    </message>
    <message>
        <source>เริ่มรายงานตั้งแต่</source>
        <translation>Reports from</translation>
    </message>
    <message>
        <source>เช่น หน่วยแจ้งเปลี่ยนผู้ประสานงาน</source>
        <translation>e.g. the unit named a new contact</translation>
    </message>
    <message>
        <source>รหัสหน่วย</source>
        <translation>Unit code</translation>
    </message>
    <message>
        <source>ชื่อหน่วย</source>
        <translation>Unit name</translation>
    </message>
    <message>
        <source>แผนลำดับที่</source>
        <translation>Plan row</translation>
    </message>
    <message>
        <source>ประเภท</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>อำเภอ</source>
        <translation>District</translation>
    </message>
    <message>
        <source>เป้าหมาย (คน)</source>
        <translation>Quota (people)</translation>
    </message>
    <message>
        <source>ผู้ประสานงาน</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>โทรศัพท์</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>โทรสาร</source>
        <translation>Fax</translation>
    </message>
    <message>
        <source>อีเมล</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>หมายเหตุ</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>เหตุผลที่แก้ไข</source>
        <translation>Reason for the change</translation>
    </message>
    <message>
        <source>บันทึก</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>ยกเลิก</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>UnitsImportDialog</name>
    <message>
        <source>รหัสหน่วย</source>
        <translation>Unit code</translation>
    </message>
    <message>
        <source>ชื่อหน่วยงาน</source>
        <translation>Unit name</translation>
    </message>
    <message>
        <source>ช่องที่เปลี่ยน</source>
        <translation>Fields changed</translation>
    </message>
    <message>
        <source>รายละเอียด</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>WeekBarPart</name>
    <message>
        <source>สัปดาห์</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>◀ สัปดาห์ก่อน</source>
        <translation>◀ Previous week</translation>
    </message>
    <message>
        <source>สัปดาห์ถัดไป ▶</source>
        <translation>Next week ▶</translation>
    </message>
    <message>
        <source>สัปดาห์ปัจจุบัน</source>
        <translation>Current week</translation>
    </message>
    <message>
        <source>เลือกสัปดาห์…</source>
        <translation>Choose week…</translation>
    </message>
    <message>
        <source>  สัปดาห์ที่แสดง: </source>
        <translation>  Week shown: </translation>
    </message>
    <message>
        <source>ผู้บันทึก:</source>
        <translation>Clerk:</translation>
    </message>
    <message>
        <source>สัปดาห์ที่ {0} · </source>
        <translation>Week {0} · </translation>
    </message>
    <message>
        <source>กำลังแสดงสัปดาห์</source>
        <translation>Showing the week of</translation>
    </message>
    <message>
        <source>ไม่ใช่สัปดาห์ปัจจุบัน (Alt+Home กลับสัปดาห์ปัจจุบัน)</source>
        <translation>not the current week (Alt+Home goes back)</translation>
    </message>
    <message>
        <source>วันนี้</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>อยู่นอกช่วงโครงการ</source>
        <translation>is outside the campaign</translation>
    </message>
    <message>
        <source>จึงเปิดสัปดาห์ของโครงการที่ใกล้ที่สุด</source>
        <translation>so the nearest campaign week is open</translation>
    </message>
    <message>
        <source>กำลังแสดง</source>
        <translation>showing</translation>
    </message>
    <message>
        <source>เลือกสัปดาห์อื่นได้ที่แถบด้านบน (Alt+← / Alt+→ / Ctrl+G)</source>
        <translation>choose another week in the bar above (Alt+← / Alt+→ / Ctrl+G)</translation>
    </message>
</context>
<context>
    <name>WindowBase</name>
    <message>
        <source>Rayong Fight Covid — โต๊ะงานรายงานสมาชิก LINE OA</source>
        <translation>Rayong Fight Covid — LINE OA membership reporting desk</translation>
    </message>
</context>
</TS>
