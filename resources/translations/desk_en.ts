<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>Crash</name>
    <message>
        <location filename="../../rayong_desktop/ui/crash.py" line="77"/>
        <source>ตกลง</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/crash.py" line="85"/>
        <source>เกิดข้อผิดพลาดที่ไม่คาดคิด รายละเอียดบันทึกไว้ในบันทึกการทำงานที่ {0}</source>
        <translation>Something unexpected went wrong; the details are in the log at {0}</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../rayong_desktop/ui/keying/bars.py" line="31"/>
        <location filename="../../rayong_desktop/ui/keying/bars.py" line="68"/>
        <source>ทุกแผน</source>
        <translation>All plan rows</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/bars.py" line="34"/>
        <source>ทุกอำเภอ</source>
        <translation>All districts</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/bars.py" line="39"/>
        <source>ทุกประเภท</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/bars.py" line="42"/>
        <source>เฉพาะที่ยังไม่ส่ง</source>
        <translation>Not yet reported only</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/bars.py" line="46"/>
        <source>ค้นหารหัสหรือชื่อหน่วย (Ctrl+F)</source>
        <translation>Search unit code or name (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/bars.py" line="48"/>
        <source>แสดง:</source>
        <translation>Show:</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="54"/>
        <source>ประวัติการรายงานของหน่วย</source>
        <translation>A unit&apos;s report history</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="56"/>
        <source>หน่วย:</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="91"/>
        <source>บันทึกครั้งแรก</source>
        <translation>First entry</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="97"/>
        <source>สัปดาห์</source>
        <translation>Week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="102"/>
        <source>ฉบับ</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="105"/>
        <source>จำนวนสะสม</source>
        <translation>Cumulative</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="111"/>
        <source>การเปลี่ยนแปลง</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="112"/>
        <source>เวลารับรายงาน</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="113"/>
        <source>บันทึกเมื่อ</source>
        <translation>Entered</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="114"/>
        <source>ช่องทาง</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="116"/>
        <source>ผู้รายงาน</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="119"/>
        <source>ผู้บันทึก</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="121"/>
        <source>ยืนยันแล้วว่า</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="126"/>
        <source>เหตุผล / หมายเหตุ</source>
        <translation>Reason / note</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="178"/>
        <source>รายงาน</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="180"/>
        <source>สัปดาห์ · แก้ไข</source>
        <translation>weeks · corrected</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="182"/>
        <source>ครั้ง</source>
        <translation>times</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="187"/>
        <source>ล่าสุด</source>
        <translation>Latest</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/history_page.py" line="189"/>
        <source>คน</source>
        <translation>people</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="168"/>
        <source>ต้องส่งสัปดาห์นี้</source>
        <translation>Due this week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="169"/>
        <source>ส่งแล้ว</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="170"/>
        <source>ตรงเวลา</source>
        <translation>On time</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="171"/>
        <source>ส่งช้า</source>
        <translation>Late</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="172"/>
        <source>ยังไม่ส่ง</source>
        <translation>Missing</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="202"/>
        <location filename="../../rayong_desktop/ui/home_page.py" line="377"/>
        <source>รายชื่อที่ต้องโทรตาม</source>
        <translation>Units to call</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="216"/>
        <location filename="../../rayong_desktop/ui/home_page.py" line="461"/>
        <source>บันทึกการโทร:</source>
        <translation>Call note:</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="220"/>
        <source>เช่น รับปากส่งก่อน 15.00 น. — พิมพ์แล้วกด Enter (เลือกหน่วยจากรายชื่อด้านบน)</source>
        <translation>e.g. promised before 15:00 — type and press Enter (pick the unit in the list above)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="231"/>
        <source>ความคืบหน้ารายแผน</source>
        <translation>Progress by plan row</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="241"/>
        <source>ชี้ที่แถวเพื่อดูชื่อหน่วยงานในแผน</source>
        <translation>Point at a row to see the plan row&apos;s agencies</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="263"/>
        <location filename="../../rayong_desktop/ui/home_page.py" line="377"/>
        <source>หน่วย</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="267"/>
        <source>ผู้ประสานงาน</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="268"/>
        <source>โทรศัพท์</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="269"/>
        <source>โทรสาร</source>
        <translation>Fax</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="271"/>
        <source>ยอดครั้งก่อน</source>
        <translation>Last figure</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="277"/>
        <source>กำหนดส่ง</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="284"/>
        <source>บันทึกการโทรล่าสุด</source>
        <translation>Latest call note</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="295"/>
        <source>แผน</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="301"/>
        <source>สมาชิกเทียบเป้าหมาย</source>
        <translation>Members against quota</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="310"/>
        <source>รายงาน</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="335"/>
        <source>ตัวเลขบนหน้านี้เก็บไว้เมื่อปิดโปรแกรมครั้งก่อน อ่านจากฐานข้อมูลตอนนี้ไม่ได้:</source>
        <translation>These figures were kept when the desk last closed; the database cannot be read now:</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="348"/>
        <source>ข้อมูล ณ</source>
        <translation>as of</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="354"/>
        <source>หน่วยที่ถึงกำหนดรายงาน</source>
        <translation>units owing a report</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="356"/>
        <source>อัตราการส่ง</source>
        <translation>reporting rate</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="360"/>
        <source>ส่งทันเวลา</source>
        <translation>on-time rate</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="363"/>
        <source>ส่งหลังกำหนด</source>
        <translation>after the deadline</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="365"/>
        <source>ต้องโทรตาม</source>
        <translation>to call</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="398"/>
        <source>สมาชิกสะสมทั้งจังหวัด</source>
        <translation>Province members so far</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="400"/>
        <source>คน จากเป้าหมาย</source>
        <translation>people of the quota of</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="402"/>
        <location filename="../../rayong_desktop/ui/home_page.py" line="408"/>
        <location filename="../../rayong_desktop/ui/home_page.py" line="409"/>
        <source>คน</source>
        <translation>people</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="408"/>
        <source>เพิ่มขึ้นจากสัปดาห์ก่อน</source>
        <translation>Up from last week by</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="409"/>
        <source>ยังขาด</source>
        <translation>still short by</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="413"/>
        <source>เป้าหมายรวมตามที่พิมพ์ในแผน</source>
        <translation>Quota as printed in the plan</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="415"/>
        <source>คน (เป้าหมายคำนวณจากรายแผนต่างไป</source>
        <translation>people (the quota computed from the rows differs by</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="417"/>
        <source>คน)</source>
        <translation>people)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="422"/>
        <source>เพื่อนใน LINE OA</source>
        <translation>LINE OA friends</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="424"/>
        <source>คน (ณ</source>
        <translation>people (as of</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="464"/>
        <location filename="../../rayong_desktop/ui/home_page.py" line="500"/>
        <source>บันทึกการโทรถึง</source>
        <translation>Call note for</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/home_page.py" line="500"/>
        <source>แล้ว</source>
        <translation>saved</translation>
    </message>
</context>
<context>
    <name>KeyingModel</name>
    <message>
        <location filename="../../rayong_desktop/ui/keying/model.py" line="58"/>
        <source>รหัส</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/model.py" line="59"/>
        <source>หน่วยรายงาน</source>
        <translation>Reporting unit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/model.py" line="60"/>
        <source>แผน</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/model.py" line="61"/>
        <source>อำเภอ</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/model.py" line="62"/>
        <source>ครั้งก่อน</source>
        <translation>Previous</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/model.py" line="63"/>
        <source>สัปดาห์นี้</source>
        <translation>This week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/model.py" line="64"/>
        <source>สถานะ</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/model.py" line="65"/>
        <source>ช่องทาง</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/model.py" line="66"/>
        <source>ผู้รายงาน</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/model.py" line="67"/>
        <source>โทรผู้รายงาน</source>
        <translation>Reporter&apos;s phone</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/model.py" line="68"/>
        <source>เวลารับรายงาน</source>
        <translation>Received</translation>
    </message>
</context>
<context>
    <name>KeyingPage</name>
    <message>
        <location filename="../../rayong_desktop/ui/keying/page.py" line="76"/>
        <source>บันทึกรายงานประจำสัปดาห์</source>
        <translation>Key in this week&apos;s reports</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/page.py" line="136"/>
        <source>ยืนยันตัวเลขที่รอยืนยัน</source>
        <translation>Confirm the figure awaiting confirmation</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/page.py" line="141"/>
        <source>ค้นหาหน่วย</source>
        <translation>Find a unit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/page.py" line="203"/>
        <source>สัปดาห์</source>
        <translation>Week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/page.py" line="308"/>
        <source>ไม่มีตัวเลขที่รอยืนยัน</source>
        <translation>No figure awaits confirmation</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/page.py" line="335"/>
        <source>พิมพ์ตัวเลขสะสม (เลขไทยได้) แล้วกด Enter · Tab/↑/↓ เลื่อน · F9 ยืนยัน · Esc/Delete ยกเลิกตัวเลขที่พิมพ์ · Ctrl+Z เลิกทำ · Ctrl+Y ทำซ้ำ</source>
        <translation>Type the cumulative count (Thai digits accepted) and press Enter · Tab/↑/↓ move · F9 confirms · Esc/Delete drops a typed figure · Ctrl+Z undo · Ctrl+Y redo</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/page.py" line="358"/>
        <source>แสดง</source>
        <translation>Showing</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/page.py" line="360"/>
        <source>จาก</source>
        <translation>of</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/page.py" line="362"/>
        <source>หน่วย · ส่งแล้ว</source>
        <translation>units · received</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/page.py" line="366"/>
        <source>ยังไม่ได้บันทึก</source>
        <translation>not stored</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/page.py" line="366"/>
        <source>รายการ</source>
        <translation>items</translation>
    </message>
</context>
<context>
    <name>KeyingWriter</name>
    <message>
        <location filename="../../rayong_desktop/ui/keying/writer.py" line="173"/>
        <source>ไม่มีรายการให้เลิกทำ</source>
        <translation>Nothing to undo</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/writer.py" line="193"/>
        <source>เลิกทำแล้ว:</source>
        <translation>Undone:</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/writer.py" line="201"/>
        <source>ไม่มีรายการให้ทำซ้ำ</source>
        <translation>Nothing to redo</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/writer.py" line="229"/>
        <source>ทำซ้ำแล้ว:</source>
        <translation>Redone:</translation>
    </message>
</context>
<context>
    <name>LinePage</name>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="54"/>
        <source>ตัวเลขจากบัญชี LINE Official Account</source>
        <translation>Figures from the LINE Official Account</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="58"/>
        <source>คัดลอกจากหน้าสถิติของ LINE OA Manager: จำนวนเพื่อน ผู้บล็อก กลุ่มเป้าหมายที่เข้าถึงได้ และข้อความที่ส่งแล้วในเดือนนี้</source>
        <translation>Copied from LINE OA Manager&apos;s statistics: friends, blocks, reachable audience and messages sent this month</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="84"/>
        <source>ตัวเลข (เลขไทยได้)</source>
        <translation>Number (Thai digits accepted)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="86"/>
        <source>วันที่อ่านตัวเลข</source>
        <translation>Date read</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="88"/>
        <source>จำนวนเพื่อน</source>
        <translation>Friends</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="89"/>
        <source>จำนวนที่บล็อก</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="90"/>
        <source>กลุ่มเป้าหมายที่เข้าถึงได้</source>
        <translation>Reachable audience</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="91"/>
        <source>ข้อความที่ส่งแล้วในเดือนนี้</source>
        <translation>Messages sent this month</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="92"/>
        <location filename="../../rayong_desktop/ui/line_page.py" line="132"/>
        <source>หมายเหตุ</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="96"/>
        <source>บันทึกตัวเลข (Enter)</source>
        <translation>Save figures (Enter)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="106"/>
        <source>งบข้อความของเดือน</source>
        <translation>This month&apos;s message budget</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="108"/>
        <source>เพื่อนใน OA</source>
        <translation>OA friends</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="109"/>
        <source>ส่งถึงทุกคนได้อีก</source>
        <translation>Broadcasts left</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="110"/>
        <location filename="../../rayong_desktop/ui/line_page.py" line="130"/>
        <source>ส่งแล้วเดือนนี้</source>
        <translation>Sent this month</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="123"/>
        <source>ตัวเลขที่บันทึกไว้</source>
        <translation>Recorded figures</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="126"/>
        <source>วันที่</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="127"/>
        <source>เพื่อน</source>
        <translation>Friends</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="128"/>
        <source>บล็อก</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="129"/>
        <source>เข้าถึงได้</source>
        <translation>Reachable</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="131"/>
        <source>ผู้บันทึก</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="168"/>
        <source>ครั้ง (ครั้งละ</source>
        <translation>broadcasts (of</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="168"/>
        <source>ข้อความ)</source>
        <translation>messages each)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="173"/>
        <source>จากโควตา</source>
        <translation>of the quota</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="177"/>
        <source>ในอัตรานี้ โควตาข้อความจะหมดวันที่</source>
        <translation>At this rate the message quota runs out on</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="179"/>
        <source>ในอัตรานี้ โควตาข้อความพอถึงสิ้นเดือน</source>
        <translation>At this rate the message quota lasts the month</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="181"/>
        <source>ยอดสมาชิกที่หน่วยรายงานรวม</source>
        <translation>Members reported by the units</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="181"/>
        <source>คน</source>
        <translation>people</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="184"/>
        <source>⚠ ยอดที่หน่วยรายงานรวมกันมากกว่าจำนวนเพื่อนใน OA: อาจนับซ้ำกัน</source>
        <translation>⚠ The units report more members than the OA has friends: double counting?</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="186"/>
        <source>ยังไม่มีตัวเลขจาก LINE OA: บันทึกตัวเลขทางซ้ายก่อน</source>
        <translation>No LINE OA figures yet: enter them on the left first</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/line_page.py" line="209"/>
        <source>บันทึกตัวเลข LINE OA แล้ว</source>
        <translation>LINE OA figures saved</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../rayong_desktop/ui/window/shell.py" line="68"/>
        <source> — ฐานข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)</source>
        <translation> — demo database (not real data)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/shell.py" line="174"/>
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
        <location filename="../../rayong_desktop/ui/window/maintenance.py" line="102"/>
        <source>ยังมีตัวเลขที่ยังไม่ได้บันทึก</source>
        <translation>Figures not stored</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/maintenance.py" line="103"/>
        <source>ตัวเลขต่อไปนี้พิมพ์ไว้แต่ยังไม่ได้บันทึก (รอยืนยัน ถูกปฏิเสธ หรือมีผู้อื่นแก้):</source>
        <translation>These figures were typed but are not stored (awaiting confirmation, refused, or changed by someone else):</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/maintenance.py" line="107"/>
        <source>ยืนยันและบันทึกทั้งหมดที่รอยืนยัน</source>
        <translation>Confirm and store them all</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/maintenance.py" line="108"/>
        <source>กลับไปตรวจ</source>
        <translation>Go back and check</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/maintenance.py" line="109"/>
        <source>ปิดโดยไม่บันทึกตัวเลขเหล่านี้</source>
        <translation>Close without storing them</translation>
    </message>
</context>
<context>
    <name>MenusPart</name>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="21"/>
        <source>แฟ้ม</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="22"/>
        <source>พิมพ์สรุปรายงาน…</source>
        <translation>Print the summary…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="23"/>
        <source>ส่งออกสมุดงาน Excel…</source>
        <translation>Export the Excel workbook…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="25"/>
        <source>นำเข้าแบบรายงานจาก Excel…</source>
        <translation>Import report forms from Excel…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="28"/>
        <source>นำเข้าทะเบียนหน่วยจาก Excel…</source>
        <translation>Import units from Excel…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="30"/>
        <source>สำรองข้อมูลเดี๋ยวนี้</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="31"/>
        <source>กู้คืนจากไฟล์สำรอง…</source>
        <translation>Restore from a backup…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="32"/>
        <source>ออกจากโปรแกรม</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="43"/>
        <source>แก้ไข</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="44"/>
        <source>เลิกทำการบันทึกล่าสุด</source>
        <translation>Undo the last entry</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="46"/>
        <source>ทำซ้ำ</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="53"/>
        <source>ยืนยันตัวเลขที่รอยืนยัน	F9</source>
        <translation>Confirm the figure awaiting confirmation	F9</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="56"/>
        <source>หน้าจอ</source>
        <translation>Screens</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="73"/>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="152"/>
        <source>ภาษา / Language</source>
        <translation>ภาษา / Language</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="79"/>
        <source>ตามระบบ (System)</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="87"/>
        <source>ช่วยเหลือ</source>
        <translation>Help</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="88"/>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="165"/>
        <source>แป้นลัด</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="153"/>
        <source>จะใช้ภาษาที่เลือกเมื่อเปิดโปรแกรมครั้งถัดไป</source>
        <translation>The chosen language applies the next time the desk opens.</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="168"/>
        <source>ไปหน้าจอต่าง ๆ</source>
        <translation>go to each screen</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="169"/>
        <source>สัปดาห์ก่อน / ถัดไป</source>
        <translation>previous / next week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="170"/>
        <source>สัปดาห์ปัจจุบัน</source>
        <translation>Current week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="171"/>
        <source>เลือกสัปดาห์</source>
        <translation>choose a week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="172"/>
        <source>บันทึกตัวเลขและไปหน่วยถัดไป</source>
        <translation>store the figure and go to the next unit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="173"/>
        <source>ยืนยันตัวเลขที่รอยืนยัน หรือใช้ตัวเลขของท่านเมื่อมีผู้อื่นแก้</source>
        <translation>confirm a figure, or keep yours when someone else changed it</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="174"/>
        <source>ยกเลิกตัวเลขที่พิมพ์ไว้แต่ยังไม่บันทึก</source>
        <translation>drop a typed figure that is not stored</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="175"/>
        <source>เลิกทำ / ทำซ้ำ</source>
        <translation>undo / redo</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="176"/>
        <source>ค้นหาหน่วย</source>
        <translation>Find a unit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="177"/>
        <source>พิมพ์สรุปรายงาน</source>
        <translation>print the summary</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/menus.py" line="90"/>
        <source>เปิดโฟลเดอร์บันทึกการทำงาน</source>
        <translation>Open the log folder</translation>
    </message>
</context>
<context>
    <name>OpeningPart</name>
    <message>
        <location filename="../../rayong_desktop/ui/window/opening.py" line="53"/>
        <source>กำลังตรวจและเปิดฐานข้อมูล…</source>
        <translation>Checking and opening the database…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/opening.py" line="125"/>
        <location filename="../../rayong_desktop/ui/window/opening.py" line="185"/>
        <source> — ฐานข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)</source>
        <translation> — demo database (not real data)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/opening.py" line="140"/>
        <location filename="../../rayong_desktop/ui/window/opening.py" line="143"/>
        <source>ฐานข้อมูล:</source>
        <translation>Database:</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/opening.py" line="140"/>
        <source>(กำลังตรวจและเปิด…)</source>
        <translation>(checking and opening…)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/opening.py" line="155"/>
        <source>ฐานข้อมูลบนเครื่องแม่ข่ายสำรองโดยผู้ดูแลระบบ</source>
        <translation>A server database is backed up by its administrator</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/opening.py" line="173"/>
        <source>ฐานข้อมูลตัวอย่างสำหรับทดลองใช้: ตัวเลข หน่วย ผู้ประสานงาน และเบอร์โทรทั้งหมดสร้างขึ้น ไม่ใช่ข้อมูลจริง และไม่ปนกับฐานข้อมูลจริงของสำนักงาน</source>
        <translation>Demo database for practice: every figure, unit, contact and phone number is generated, not real, and never mixed with the office&apos;s real database</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/opening.py" line="180"/>
        <source>กำลังสร้างข้อมูลตัวอย่าง… (ครั้งแรกเท่านั้น)</source>
        <translation>Generating the demo data… (first time only)</translation>
    </message>
</context>
<context>
    <name>ReceivedBar</name>
    <message>
        <location filename="../../rayong_desktop/ui/keying/bars.py" line="98"/>
        <source>เวลารับรายงาน = เวลาที่บันทึก</source>
        <translation>Received = when keyed</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/keying/bars.py" line="140"/>
        <source>ใช้เวลาขณะกดบันทึกของแต่ละตัวเลข</source>
        <translation>each figure takes the moment it is keyed</translation>
    </message>
</context>
<context>
    <name>RegisterPage</name>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="127"/>
        <source>ทะเบียนหนังสือส่ง</source>
        <translation>Outgoing register</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="131"/>
        <source>หนังสือ หนังสือเวียน (ว) และบันทึกข้อความทุกฉบับที่ออกเลขจากโปรแกรม เก็บไฟล์ PDF ตามที่ส่งจริง พิมพ์ซ้ำได้ตรงตามต้นฉบับ</source>
        <translation>Every letter, circular (ว) and memo numbered by the desk, with its PDF as it went out: a reprint gives the same pages</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="142"/>
        <source>ทุกปี</source>
        <translation>All years</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="145"/>
        <source>ทุกชุด</source>
        <translation>All series</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="146"/>
        <source>หนังสือและบันทึก</source>
        <translation>Letters and memos</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="147"/>
        <source>หนังสือเวียน (ว)</source>
        <translation>Circulars (ว)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="150"/>
        <source>ทุกสัปดาห์</source>
        <translation>All weeks</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="157"/>
        <source>ปี พ.ศ.</source>
        <translation>Year (B.E.)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="158"/>
        <source>ชุด</source>
        <translation>Series</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="159"/>
        <location filename="../../rayong_desktop/ui/register_page.py" line="205"/>
        <source>สัปดาห์</source>
        <translation>Week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="165"/>
        <source>พิมพ์ซ้ำ (บันทึก PDF)…</source>
        <translation>Reprint (save PDF)…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="167"/>
        <source>บันทึกการส่ง…</source>
        <translation>Record sending…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="169"/>
        <source>ยกเลิกเลขที่…</source>
        <translation>Spoil…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="171"/>
        <source>ส่งออก Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="190"/>
        <source>ที่</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="192"/>
        <source>ลงวันที่</source>
        <translation>Dated</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="197"/>
        <source>ถึง</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="199"/>
        <source>เรื่อง</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="210"/>
        <source>ผู้ออกเลข</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="211"/>
        <source>การส่ง</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="213"/>
        <source>สถานะ</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="297"/>
        <source>ยังไม่มีหนังสือในทะเบียน: หนังสือที่พิมพ์หรือบันทึกจากเมนูพิมพ์จะลงทะเบียนที่นี่</source>
        <translation>No letter in the register yet: letters printed or saved from the print menu are registered here</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="299"/>
        <source>เลือกหนังสือเพื่อพิมพ์ซ้ำ บันทึกการส่ง หรือยกเลิก</source>
        <translation>Choose a letter to reprint it, record its sending or spoil it</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="331"/>
        <source>บันทึกหนังสือ {0} ตามต้นฉบับแล้ว: {1}</source>
        <translation>Letter {0} saved as issued: {1}</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="343"/>
        <source>บันทึกการส่งหนังสือ {0} แล้ว</source>
        <translation>Sending of letter {0} recorded</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="354"/>
        <source>ยกเลิกหนังสือ {0} แล้ว</source>
        <translation>Letter {0} spoiled</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="367"/>
        <source>ส่งออกทะเบียนหนังสือส่ง {0} รายการ: {1}</source>
        <translation>Outgoing register exported, {0} letters: {1}</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="377"/>
        <source>พิมพ์ซ้ำ: บันทึกเป็น PDF</source>
        <translation>Reprint: save as PDF</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="395"/>
        <source>ยกเลิกเลขที่หนังสือ</source>
        <translation>Spoil a letter</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="396"/>
        <source>เหตุผลที่ยกเลิกหนังสือ {0} (ฉบับเดิมยังเก็บไว้ในทะเบียน)</source>
        <translation>Why is letter {0} spoiled? (it stays in the register)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/register_page.py" line="402"/>
        <source>ส่งออกทะเบียนหนังสือส่ง</source>
        <translation>Export the outgoing register</translation>
    </message>
</context>
<context>
    <name>RegistryPage</name>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="244"/>
        <source>ทะเบียนแผนและหน่วยรายงาน</source>
        <translation>Plan rows and reporting units</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="252"/>
        <source>แผนการเผยแพร่ประชาสัมพันธ์: เป้าหมายรายแผน</source>
        <translation>Publicity plan: quota by row</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="254"/>
        <source>แก้ไขเป้าหมายแผน…</source>
        <translation>Change the row&apos;s quota…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="277"/>
        <source>หน่วยรายงาน</source>
        <translation>Reporting unit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="280"/>
        <source>ค้นหา รหัส ชื่อ ผู้ประสานงาน เบอร์โทร (Ctrl+F)</source>
        <translation>Search code, name, contact, phone (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="283"/>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="438"/>
        <source>ทุกแผน</source>
        <translation>All plan rows</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="284"/>
        <source>แสดงหน่วยที่ยกเลิกแล้ว</source>
        <translation>Show retired units</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="290"/>
        <source>เพิ่มหน่วย (Ctrl+N)</source>
        <translation>Add unit (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="291"/>
        <source>แก้ไข (Enter)</source>
        <translation>Edit (Enter)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="292"/>
        <source>ยกเลิกหน่วย (Delete)</source>
        <translation>Retire (Delete)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="293"/>
        <source>นำกลับมาใช้</source>
        <translation>Reactivate</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="294"/>
        <source>ประวัติการรายงาน (Ctrl+H)</source>
        <translation>Report history (Ctrl+H)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="334"/>
        <source>เพิ่มหน่วย</source>
        <translation>Add unit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="335"/>
        <source>ค้นหา</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="336"/>
        <source>ประวัติ</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="368"/>
        <source>ลำดับ</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="370"/>
        <source>เป้าหมาย/หน่วยงานรับผิดชอบ</source>
        <translation>Target / responsible agencies</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="377"/>
        <source>เป้าหมายแผน (คน)</source>
        <translation>Row quota (people)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="383"/>
        <source>รวมเป้าหน่วย</source>
        <translation>Units&apos; quotas</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="390"/>
        <source>หน่วย</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="396"/>
        <source>ใช้งาน</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="399"/>
        <source>ยกเลิก</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="402"/>
        <source>รหัส</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="403"/>
        <source>ชื่อหน่วย</source>
        <translation>Unit name</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="404"/>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="440"/>
        <source>แผน</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="406"/>
        <source>ประเภท</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="409"/>
        <source>อำเภอ</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="410"/>
        <source>เป้าหมาย</source>
        <translation>Quota</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="411"/>
        <source>ผู้ประสานงาน</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="412"/>
        <source>โทรศัพท์</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="413"/>
        <source>โทรสาร</source>
        <translation>Fax</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="414"/>
        <source>อีเมล</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="416"/>
        <source>สถานะ</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="447"/>
        <source>รวมเป้าหมายทุกแผน (คำนวณจากรายแผน):</source>
        <translation>Quota of all rows (computed from the rows):</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="449"/>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="456"/>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="463"/>
        <source>คน</source>
        <translation>people</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="454"/>
        <source>ยอดรวมตามที่พิมพ์ในแผน:</source>
        <translation>Total as printed in the plan:</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="461"/>
        <source>ต่างกัน</source>
        <translation>difference</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="465"/>
        <source>(ตัวเลขทุกหน้าจอใช้ยอดที่คำนวณ)</source>
        <translation>(every screen uses the computed total)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="525"/>
        <source>ยกเลิกหน่วย</source>
        <translation>Retire unit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="550"/>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="556"/>
        <source>แก้ไขเป้าหมายแผน</source>
        <translation>Change a row&apos;s quota</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="556"/>
        <source>เหตุผลที่แก้ไข:</source>
        <translation>Reason for the change:</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="572"/>
        <source>ทะเบียนหน่วย</source>
        <translation>Registry</translation>
    </message>
</context>
<context>
    <name>ScreensPart</name>
    <message>
        <location filename="../../rayong_desktop/ui/window/screens.py" line="57"/>
        <source>สัปดาห์นี้</source>
        <translation>This week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/screens.py" line="58"/>
        <source>บันทึกรายงาน</source>
        <translation>Key in reports</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/screens.py" line="59"/>
        <source>ทะเบียนหน่วย</source>
        <translation>Registry</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/screens.py" line="60"/>
        <source>แนวโน้ม</source>
        <translation>Trends</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/screens.py" line="61"/>
        <source>ประวัติหน่วย</source>
        <translation>Unit history</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/screens.py" line="62"/>
        <source>ตัวเลข LINE OA</source>
        <translation>LINE OA figures</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/screens.py" line="63"/>
        <source>ทะเบียนหนังสือส่ง</source>
        <translation>Outgoing register</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/screens.py" line="64"/>
        <source>ตั้งค่า</source>
        <translation>Settings</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="203"/>
        <source>ตั้งค่า</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="208"/>
        <source>บันทึกการตั้งค่า (Ctrl+S)</source>
        <translation>Save settings (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="211"/>
        <source>คืนค่าที่บันทึกไว้</source>
        <translation>Revert to saved</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="216"/>
        <source>บันทึกการตั้งค่า</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="273"/>
        <source>เปิดโฟลเดอร์</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="285"/>
        <source>ไฟล์ฐานข้อมูล (โฟลเดอร์ข้อมูล)</source>
        <translation>Database file (data folder)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="289"/>
        <source>เปลี่ยนโฟลเดอร์ข้อมูลได้ด้วย --db หรือตัวแปร RAYONG_HOME / RAYONG_DB ตอนเปิดโปรแกรม</source>
        <translation>Choose another data folder with --db or RAYONG_HOME / RAYONG_DB when starting</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="296"/>
        <source>สำเนาสำรองเก็บที่</source>
        <translation>Backups are kept in</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="301"/>
        <source>บันทึก</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="308"/>
        <source>ฐานข้อมูลบนเครื่องแม่ข่าย (ใช้ร่วมกันหลายคน)</source>
        <translation>Server database (shared by several clerks)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="310"/>
        <source>เว้นว่าง = ใช้ไฟล์ในเครื่องนี้ · มีผลเมื่อเปิดโปรแกรมครั้งถัดไป</source>
        <translation>Leave empty to use this PC&apos;s file · applies the next time the desk opens</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="320"/>
        <source>ต้องขึ้นต้นด้วย postgresql:// (เช่น postgresql://desk:รหัส@server/rayong)</source>
        <translation>Must start with postgresql:// (e.g. postgresql://desk:password@server/rayong)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="327"/>
        <source>บันทึกแล้ว มีผลเมื่อเปิดโปรแกรมครั้งถัดไป</source>
        <translation>Saved; applies the next time the desk opens</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="329"/>
        <source>บันทึกแล้ว: ครั้งหน้าจะใช้ไฟล์ในเครื่องนี้</source>
        <translation>Saved: next time the desk uses this PC&apos;s file</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="347"/>
        <source>ฐานข้อมูลบนเครื่องแม่ข่ายสำรองโดยผู้ดูแลระบบ</source>
        <translation>A server database is backed up by its administrator</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="353"/>
        <source>เลือกโฟลเดอร์</source>
        <translation>Choose a folder</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="363"/>
        <source>ไม่มีการเปลี่ยนแปลง</source>
        <translation>Nothing changed</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="375"/>
        <source>บันทึกแล้ว</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="375"/>
        <source>รายการ</source>
        <translation>items</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="378"/>
        <source>ไม่ได้บันทึก</source>
        <translation>not saved</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="378"/>
        <source>รายการ (ดูข้อความสีแดง)</source>
        <translation>items (see the red messages)</translation>
    </message>
</context>
<context>
    <name>TrendsPage</name>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="54"/>
        <source>แนวโน้มจำนวนสมาชิกสะสม</source>
        <translation>Cumulative members over time</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="68"/>
        <source>รายแผน: สมาชิกสะสมเทียบเป้าหมายของแต่ละแผน</source>
        <translation>By plan row: cumulative members against each row&apos;s quota</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="78"/>
        <source>กราฟ</source>
        <translation>Charts</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="85"/>
        <source>ตาราง</source>
        <translation>Table</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="96"/>
        <source>เป้าหมายรวม</source>
        <translation>Total quota</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="99"/>
        <source>ตามที่พิมพ์ในแผน</source>
        <translation>as printed in the plan</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="106"/>
        <source>สมาชิกสะสมตามรายงาน</source>
        <translation>Members reported (cumulative)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="107"/>
        <source>เพื่อนใน LINE OA</source>
        <translation>LINE OA friends</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="110"/>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="157"/>
        <source>ทั้งจังหวัด</source>
        <translation>Province</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="111"/>
        <source>รายสัปดาห์</source>
        <translation>Weekly</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="132"/>
        <source>สมาชิกสะสม</source>
        <translation>Cumulative members</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="133"/>
        <source>เป้า</source>
        <translation>Quota</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="134"/>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="180"/>
        <source>แผน</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="142"/>
        <source>ล่าสุด</source>
        <translation>Latest</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="144"/>
        <source>คน</source>
        <translation>people</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="146"/>
        <source>ของเป้าหมาย</source>
        <translation>of the quota</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="148"/>
        <source>ชี้เมาส์หรือกดลูกศรซ้าย/ขวาบนกราฟเพื่อดูตัวเลขแต่ละสัปดาห์</source>
        <translation>point at the chart or use the left/right arrows to read each week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="154"/>
        <source>สัปดาห์</source>
        <translation>Week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="155"/>
        <source>ช่วงวันที่</source>
        <translation>Dates</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="163"/>
        <source>% เป้าหมาย</source>
        <translation>% of quota</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/trends_page.py" line="174"/>
        <source>เพื่อน LINE OA</source>
        <translation>LINE OA friends</translation>
    </message>
</context>
<context>
    <name>UnitDialog</name>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="93"/>
        <source>แก้ไขหน่วย</source>
        <translation>Edit unit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="93"/>
        <source>เพิ่มหน่วยรายงาน</source>
        <translation>Add a reporting unit</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="100"/>
        <source>อักษรอังกฤษ ตัวเลข - _ . เช่น SAO-KLG-03</source>
        <translation>Latin letters, digits, - _ . e.g. SAO-KLG-03</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="118"/>
        <source>ไม่ระบุ</source>
        <translation>Not given</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="125"/>
        <source>เว้นว่าง = ค่าขั้นต่ำตามประเภท (อปท. 300)</source>
        <translation>blank = the kind&apos;s minimum (local administrations: 300)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="131"/>
        <source>เริ่มรายงานตั้งแต่</source>
        <translation>Reports from</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="143"/>
        <source>เช่น หน่วยแจ้งเปลี่ยนผู้ประสานงาน</source>
        <translation>e.g. the unit named a new contact</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="144"/>
        <source>รหัสหน่วย</source>
        <translation>Unit code</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="145"/>
        <source>ชื่อหน่วย</source>
        <translation>Unit name</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="146"/>
        <source>แผนลำดับที่</source>
        <translation>Plan row</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="147"/>
        <source>ประเภท</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="148"/>
        <source>อำเภอ</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="149"/>
        <source>เป้าหมาย (คน)</source>
        <translation>Quota (people)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="150"/>
        <source>ผู้ประสานงาน</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="151"/>
        <source>โทรศัพท์</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="152"/>
        <source>โทรสาร</source>
        <translation>Fax</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="153"/>
        <source>อีเมล</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="154"/>
        <source>หมายเหตุ</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="157"/>
        <source>เหตุผลที่แก้ไข</source>
        <translation>Reason for the change</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="162"/>
        <source>บันทึก</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/registry_page.py" line="163"/>
        <source>ยกเลิก</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>WeekBarPart</name>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="22"/>
        <source>สัปดาห์</source>
        <translation>Week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="27"/>
        <source>◀ สัปดาห์ก่อน</source>
        <translation>◀ Previous week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="30"/>
        <source>สัปดาห์ถัดไป ▶</source>
        <translation>Next week ▶</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="33"/>
        <source>สัปดาห์ปัจจุบัน</source>
        <translation>Current week</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="42"/>
        <source>เลือกสัปดาห์…</source>
        <translation>Choose week…</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="45"/>
        <source>  สัปดาห์ที่แสดง: </source>
        <translation>  Week shown: </translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="56"/>
        <source>ผู้บันทึก:</source>
        <translation>Clerk:</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="123"/>
        <source>กำลังแสดงสัปดาห์</source>
        <translation>Showing the week of</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="125"/>
        <source>ไม่ใช่สัปดาห์ปัจจุบัน (Alt+Home กลับสัปดาห์ปัจจุบัน)</source>
        <translation>not the current week (Alt+Home goes back)</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="134"/>
        <source>วันนี้</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="136"/>
        <source>อยู่นอกช่วงโครงการ</source>
        <translation>is outside the campaign</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="138"/>
        <source>จึงเปิดสัปดาห์ของโครงการที่ใกล้ที่สุด</source>
        <translation>so the nearest campaign week is open</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="140"/>
        <source>กำลังแสดง</source>
        <translation>showing</translation>
    </message>
    <message>
        <location filename="../../rayong_desktop/ui/window/weekbar.py" line="142"/>
        <source>เลือกสัปดาห์อื่นได้ที่แถบด้านบน (Alt+← / Alt+→ / Ctrl+G)</source>
        <translation>choose another week in the bar above (Alt+← / Alt+→ / Ctrl+G)</translation>
    </message>
</context>
<context>
    <name>page</name>
    <message>
        <location filename="../../rayong_desktop/ui/settings_page.py" line="136"/>
        <source>เลือก…</source>
        <translation>Choose…</translation>
    </message>
</context>
</TS>
