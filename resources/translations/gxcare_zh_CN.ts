<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ArchiveChildDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/child_archive.py" line="+40"/>
        <source>Archive the file of %1</source>
        <translation>将 %1 的档案归档</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file is kept and can be restored; it leaves the working lists. Choose why the child exits.</source>
        <translation>档案会保留，可以恢复；归档后不再出现在工作名单中。请选择退出原因。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(choose a reason)</source>
        <translation>（请选择原因）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>AttachmentViewer</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/child_attachment.py" line="+20"/>
        <source>The content of this file has not arrived from the server yet.</source>
        <translation>这个文件的内容还没有从服务器同步下来。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (%2 KB) cannot be shown here.</source>
        <translation>%1（%2 KB）无法在这里显示。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>CaseStepDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/case_forms.py" line="+176"/>
        <source>Record a response step</source>
        <translation>记录处置步骤</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Who acted</source>
        <translation>处置人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Actions taken</source>
        <translation>采取的措施</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/cases_page.py" line="+114"/>
        <source>Child</source>
        <translation>儿童</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Village</source>
        <translation>村（社区）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Situation</source>
        <translation>报告情形</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Found on</source>
        <translation>发现日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Current step</source>
        <translation>当前步骤</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Days at step</source>
        <translation>停留天数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New report…</source>
        <translation>新建强制报告…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Police report…</source>
        <translation>报案登记…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record step…</source>
        <translation>记录步骤…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close with feedback…</source>
        <translation>结案反馈…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Closed %1</source>
        <translation>%1 已结案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waiting too long at this step</source>
        <translation>在本步骤停留过久</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 open cases, %2 waiting more than %3 days at a step</source>
        <translation>处理中案件 %1 件，%2 件在同一步骤停留超过 %3 天</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Select a case to see its steps.</source>
        <translation>选择一个案件查看处置步骤。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Confidential (shown to supervisors only)</source>
        <translation>保密（仅督导员及以上可见）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Found on %1 at %2</source>
        <translation>%1 于 %2 发现</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seen: %1</source>
        <translation>发现情况：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reporter: %1</source>
        <translation>报告人：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reported to %1 at %2, receipt %3</source>
        <translation>已向 %1 报案（%2），回执号 %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not yet reported to the police.</source>
        <translation>尚未向公安机关报案。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Closed on %1. Feedback: %2</source>
        <translation>%1 结案。反馈：%2</translation>
    </message>
</context>
<context>
    <name>ChildFilePage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/child_file_page.py" line="+201"/>
        <source>← Back to list</source>
        <translation>← 返回名单</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+285"/>
        <source>Record visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <location line="-284"/>
        <location line="+440"/>
        <source>Archive…</source>
        <translation>归档…</translation>
    </message>
    <message>
        <location line="-439"/>
        <source>Print file…</source>
        <translation>打印档案…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Basic information</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Family and care</source>
        <translation>家庭与监护</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visits and contacts</source>
        <translation>走访与亲情联系</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Benefits</source>
        <translation>保障待遇</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>修改记录</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Identity</source>
        <translation>身份信息</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>18 characters; fills in birth date and sex</source>
        <translation>18 位；自动填写出生日期和性别</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Health and schooling</source>
        <translation>健康与就学</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Grade %1</source>
        <translation>%1 级</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Care arrangement and entrusted caregiver</source>
        <translation>监护安排与委托照护人</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Parent contacts (at least weekly for left-behind children)</source>
        <translation>父母联系（留守儿童至少每周一次）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Record parent contact</source>
        <translation>记录父母联系</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Add a benefit</source>
        <translation>添加保障待遇</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>First month YYYY-MM</source>
        <translation>起始月份 YYYY-MM</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last month (optional)</source>
        <translation>截止月份（可不填）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Caption, e.g. signed care agreement</source>
        <translation>说明，例如：已签字的委托照护协议</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add photo or scan…</source>
        <translation>添加照片或扫描件…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>View</source>
        <translation>查看</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Who</source>
        <translation>修改人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Old value</source>
        <translation>原值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>New child file</source>
        <translation>新建儿童档案</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Archived %1 (%2)</source>
        <translation>已于 %1 归档（%2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next visit due %1</source>
        <translation>下次走访应在 %1 前</translation>
    </message>
    <message>
        <location line="+107"/>
        <source>Born %1, %2 (from the ID number)</source>
        <translation>出生于 %1，%2（根据身份证号）</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>ChildrenListPage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/children_page.py" line="+105"/>
        <source>Search name, pinyin initials or ID number</source>
        <translation>搜索姓名、拼音首字母或身份证号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All risk levels</source>
        <translation>全部风险等级</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Visit overdue</source>
        <translation>走访逾期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No parent contact 7+ days</source>
        <translation>7 天以上无父母联系</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ageing out within 30 days</source>
        <translation>30 天内到龄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New file</source>
        <translation>新建档案</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import Excel…</source>
        <translation>导入 Excel…</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>Could not load the list: %1</source>
        <translation>无法加载名单：%1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 children</source>
        <translation>共 %1 名儿童</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 of %2 shown</source>
        <translation>显示 %1 / %2 名</translation>
    </message>
</context>
<context>
    <name>CloseCaseDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/case_forms.py" line="+17"/>
        <source>Close the case</source>
        <translation>结案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed on</source>
        <translation>结案日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
</context>
<context>
    <name>ComparePage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/compare_page.py" line="+172"/>
        <source>Compare with another department&apos;s list</source>
        <translation>与其他部门名单比对</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load a list from education, public security or the disabled persons&apos; federation (an Excel file with ID numbers and a status column) to see who is on their list but not on file, who is on file but not on their list, and whose status differs.</source>
        <translation>导入教育、公安或残联部门的名单（含身份证号和状态列的 Excel 文件），查看名单上有但未建档的儿童、已建档但不在名单上的儿童，以及状态不一致的儿童。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Department:</source>
        <translation>部门：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load list…</source>
        <translation>导入名单…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export comparison…</source>
        <translation>导出比对结果…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No list loaded</source>
        <translation>尚未导入名单</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>On their list only (%1)</source>
        <translation>名单有、档案无（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On file only (%1)</source>
        <translation>档案有、名单无（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status differs (%1)</source>
        <translation>状态不一致（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unreadable rows (%1)</source>
        <translation>无法识别的行（%1）</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Comparing…</source>
        <translation>正在比对…</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>%1 on the list matched the file; %2 only on their list, %3 only on file, %4 with a different status.</source>
        <translation>名单中 %1 人与档案相符；名单有档案无 %2 人，档案有名单无 %3 人，状态不一致 %4 人。</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Could not compare: %1</source>
        <translation>无法比对：%1</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Writing the workbook…</source>
        <translation>正在写入 Excel 文件…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/conflicts_dialog.py" line="+32"/>
        <source>Conflicting edits</source>
        <translation>修改冲突</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Two devices changed the same field before they had seen each other&apos;s change. The newer change was kept; choose which value should stay.</source>
        <translation>两台设备在同步前修改了同一项内容，系统先保留了较新的修改；请选择最终保留哪个值。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Child</source>
        <translation>儿童</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Field</source>
        <translation>项目</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value now</source>
        <translation>当前值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Other value</source>
        <translation>另一个值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep the value now</source>
        <translation>保留当前值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use the other value</source>
        <translation>改用另一个值</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Asking the server…</source>
        <translation>正在查询服务器…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 conflicts to review</source>
        <translation>有 %1 处冲突待处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No conflicts to review.</source>
        <translation>没有待处理的冲突。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Saving the choice and syncing…</source>
        <translation>正在保存选择并同步…</translation>
    </message>
</context>
<context>
    <name>ConflictsModel</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/models/conflicts_model.py" line="+33"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Field</source>
        <translation>项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value kept</source>
        <translation>现用的值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other value</source>
        <translation>另一个值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Devices (kept / other)</source>
        <translation>设备（现用 / 另一个）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>child file</source>
        <translation>儿童档案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>family member</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>care arrangement</source>
        <translation>监护照料</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>visit</source>
        <translation>走访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>parent contact</source>
        <translation>亲情联系</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assessment</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>case</source>
        <translation>强制报告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>case step</source>
        <translation>处置步骤</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>benefit</source>
        <translation>保障待遇</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>review</source>
        <translation>审核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>staff member</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>training</source>
        <translation>培训</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/dashboard_page.py" line="+175"/>
        <source>Today&apos;s work</source>
        <translation>今日工作</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Children on file</source>
        <translation>在册儿童</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visits overdue</source>
        <translation>走访逾期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No parent contact 7+ days</source>
        <translation>7 天以上无父母联系</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>High risk</source>
        <translation>高风险</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+23"/>
        <source>Ageing out within 30 days</source>
        <translation>30 天内到龄</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Children by category</source>
        <translation>按类别统计</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Children by risk level</source>
        <translation>按风险等级统计</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Due</source>
        <translation>应走访日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last parent contact</source>
        <translation>最近父母联系</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Next due</source>
        <translation>下次走访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Overdue visits</source>
        <translation>逾期走访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No parent contact for 7+ days</source>
        <translation>7 天以上无父母联系</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>High-risk children</source>
        <translation>高风险儿童</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Could not load the dashboard: %1</source>
        <translation>无法加载工作台：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>DemoDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/demo.py" line="+131"/>
        <location line="+21"/>
        <source>Demo ledger</source>
        <translation>演示台账</translation>
    </message>
</context>
<context>
    <name>DemoLedgerPanel</name>
    <message>
        <location line="-66"/>
        <source>Creating the demo ledger with invented children…</source>
        <translation>正在用虚构的儿童数据生成演示台账…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opening the demo ledger…</source>
        <translation>正在打开演示台账…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The demo ledger is ready.</source>
        <translation>演示台账已准备好。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The demo ledger could not be opened: %1</source>
        <translation>无法打开演示台账：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The demo ledger is filled with invented children, families and visits, so you can try every screen. It is kept apart from your own ledger.</source>
        <translation>演示台账里是虚构的儿童、家庭和走访记录，可以放心试用每个功能。它和您自己的台账分开保存。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demo password: %1</source>
        <translation>演示台账密码：%1</translation>
    </message>
</context>
<context>
    <name>DemoPage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/first_run.py" line="+467"/>
        <source>Demo ledger</source>
        <translation>演示台账</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/enrol_dialog.py" line="+211"/>
        <source>Connect to the sync server</source>
        <translation>连接同步服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
</context>
<context>
    <name>EnrolForm</name>
    <message>
        <location line="-176"/>
        <source>Certificate authority file</source>
        <translation>根证书文件</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>The server address starts with https:// (ask the county for it).</source>
        <translation>服务器地址以 https:// 开头（请向县民政部门索取）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the account name and password the county gave you.</source>
        <translation>请输入县里分配给您的账号和密码。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate file does not exist.</source>
        <translation>证书文件不存在。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Connecting to the server…</source>
        <translation>正在连接服务器…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This computer is now connected to %1.</source>
        <translation>本机已连接到 %1。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Connect this computer to the county&apos;s sync server to send your changes to the township and receive theirs. The password is used once and is not kept; the computer keeps a device key instead.</source>
        <translation>将本机连接到县里的同步服务器，把您的修改发送给乡镇，并接收乡镇的修改。密码只用这一次、不会保存；本机改为保存一个设备密钥。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>County CA file (optional)</source>
        <translation>县级根证书文件（可不填）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
</context>
<context>
    <name>EnrolWizardPage</name>
    <message>
        <location line="+91"/>
        <source>Sync server (optional)</source>
        <translation>同步服务器（可选）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Without a network, simply finish: you can connect later on the Sync page.</source>
        <translation>没有网络时直接点“完成”即可，以后可在“同步”页面连接。</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/import_dialog.py" line="+43"/>
        <source>Choose an Excel ledger</source>
        <translation>选择 Excel 台账</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Excel workbooks (*.xlsx *.xlsm)</source>
        <translation>Excel 工作簿 (*.xlsx *.xlsm)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/first_run.py" line="+89"/>
        <source>Set up the Children&apos;s Care Ledger</source>
        <translation>设置儿童关爱台账</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/import_dialog.py" line="+101"/>
        <source>Import an Excel ledger</source>
        <translation>导入 Excel 台账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sheet:</source>
        <translation>工作表：</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>(find it)</source>
        <translation>（自动识别）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>First a trial run checks every row and writes nothing. Look at the rows refused and why; fix them in Excel and try again, or import the others. A child whose ID number is already on file is updated, never added twice.</source>
        <translation>先试导入：逐行检查，不写入任何数据。请查看被拒绝的行及原因，可在 Excel 中改正后重试，或先导入其余各行。身份证号已在档的儿童只会更新，不会重复建档。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Check again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Checking every row…</source>
        <translation>正在逐行检查…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Columns not read: %1</source>
        <translation>未读取的列：%1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Import finished. %1</source>
        <translation>导入完成。%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not import: %1</source>
        <translation>无法导入：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopped. The import is one transaction: nothing was written.</source>
        <translation>已停止。导入是一个整体事务：没有写入任何数据。</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/idle_lock.py" line="+125"/>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The ledger was locked because the computer was not used for a while. Enter your password to continue; nothing you typed is lost.</source>
        <translation>电脑一段时间无人使用，台账已自动锁定。请输入密码继续；已填写的内容不会丢失。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../src/gxcare_desktop/ui/main_window.py" line="+144"/>
        <source>Unsynced changes: %n</source>
        <translation>
            <numerusform>未同步修改：%n 条</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last sync: %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>never</source>
        <translation>从未同步</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Children&apos;s Care Ledger</source>
        <translation>儿童关爱台账</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/base.py" line="+16"/>
        <source>Dashboard</source>
        <translation>工作台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Children</source>
        <translation>儿童档案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/review_page.py" line="+48"/>
        <source>Reviews</source>
        <translation>审核</translation>
    </message>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/cases_page.py" line="-153"/>
        <source>Mandatory reports</source>
        <translation>强制报告</translation>
    </message>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/staff_page.py" line="+41"/>
        <source>Staff and training</source>
        <translation>人员与培训</translation>
    </message>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/township_page.py" line="+35"/>
        <source>Township overview</source>
        <translation>督导总览</translation>
    </message>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/compare_page.py" line="-226"/>
        <source>Compare lists</source>
        <translation>部门信息比对</translation>
    </message>
</context>
<context>
    <name>NewCaseDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/case_forms.py" line="-88"/>
        <source>New mandatory report</source>
        <translation>新建强制报告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Child</source>
        <translation>儿童</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Situation</source>
        <translation>报告情形</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Found on</source>
        <translation>发现日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What was seen</source>
        <translation>发现的情况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reporter</source>
        <translation>报告人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reporter&apos;s phone</source>
        <translation>报告人电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The reporter&apos;s identity is kept confidential: only supervisors see it.</source>
        <translation>报告人身份保密：仅督导员及以上可见。</translation>
    </message>
</context>
<context>
    <name>ParentContactForm</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/visit_form.py" line="+274"/>
        <source>Parent contact: %1</source>
        <translation>父母联系：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/bundle_dialog.py" line="+38"/>
        <source>Passphrase</source>
        <translation>传递口令</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Again</source>
        <translation>再输一次</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Bundle passphrase</source>
        <translation>传递文件口令</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose a passphrase for the file and tell it to the township by phone, not with the USB stick.</source>
        <translation>请为这个文件设一个口令，并通过电话告诉乡镇，不要和U盘放在一起。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The passphrase the sender chose for this file.</source>
        <translation>请输入发送方为这个文件设定的口令。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>At least %1 characters.</source>
        <translation>至少 %1 个字符。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The two entries differ.</source>
        <translation>两次输入不一致。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Save bundle</source>
        <translation>保存传递文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open bundle</source>
        <translation>打开传递文件</translation>
    </message>
</context>
<context>
    <name>PasswordPage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/first_run.py" line="-248"/>
        <location line="+18"/>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Creating the encrypted ledger…</source>
        <translation>正在创建加密台账…</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+3"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>The password encrypts the ledger. Choose one you can remember: at least 8 characters, with letters and digits.</source>
        <translation>密码用来加密台账。请设一个自己记得住的密码：至少 8 个字符，包含字母和数字。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nobody can read the ledger without this password, not even the township. If you forget it, the recovery code shown next still opens it.</source>
        <translation>没有这个密码，任何人（包括乡镇）都无法读取台账。如果忘记密码，可以用下一步显示的恢复码打开。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create the ledger</source>
        <translation>创建台账</translation>
    </message>
</context>
<context>
    <name>PoliceReportDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/case_forms.py" line="+22"/>
        <source>Report to the police</source>
        <translation>向公安机关报案</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reported at</source>
        <translation>报案时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving unit</source>
        <translation>接报单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receipt number</source>
        <translation>回执号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Police response</source>
        <translation>公安机关处理情况</translation>
    </message>
</context>
<context>
    <name>PrintFileAction</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/print_file.py" line="+82"/>
        <location line="+10"/>
        <source>Print file</source>
        <translation>打印档案</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>The file was saved as a PDF:
%1</source>
        <translation>档案已保存为 PDF：
%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open it</source>
        <translation>打开</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Could not write the PDF: %1</source>
        <translation>无法生成 PDF：%1</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/widgets/progress_panel.py" line="+69"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>RecoveryPage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/first_run.py" line="+59"/>
        <source>Sent to the printer.</source>
        <translation>已发送到打印机。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Recovery code</source>
        <translation>恢复码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write this code on paper (or print it) and keep it locked away, not with the computer. If the password is forgotten, only this code opens the ledger. It is shown only now.</source>
        <translation>请把这个恢复码抄在纸上（或打印出来）并锁好，不要和电脑放在一起。忘记密码时，只有它能打开台账。恢复码只显示这一次。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I have written the recovery code down</source>
        <translation>我已经抄下恢复码</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/reports_page.py" line="+196"/>
        <source>Monthly report</source>
        <translation>月报表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Area:</source>
        <translation>统计范围：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make report</source>
        <translation>生成报表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import Excel ledger…</source>
        <translation>导入 Excel 台账…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export full ID numbers</source>
        <translation>导出完整身份证号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full ID numbers are personal data: this export is recorded in the audit log.</source>
        <translation>完整身份证号属于个人信息：本次导出将记入审计日志。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Choose the month and the area, then press “Make report”.</source>
        <translation>请选择月份和统计范围，然后点击“生成报表”。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The ledger has changed since this report was made; make it again to update it.</source>
        <translation>报表生成后台账已有变动，请重新生成以更新。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>%1, %2: %3 children on file, %4 new files, %5 visits done, %6 overdue.</source>
        <translation>%1，%2：在档儿童 %3 人，本月新建档 %4 人，已走访 %5 次，逾期未访 %6 人。</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Could not make the report: %1</source>
        <translation>无法生成报表：%1</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Writing the workbook…</source>
        <translation>正在写入 Excel 文件…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not save the workbook: %1</source>
        <translation>无法保存 Excel 文件：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export stopped; no file was written.</source>
        <translation>已停止导出，未生成文件。</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/review_page.py" line="+45"/>
        <location line="+62"/>
        <location line="+13"/>
        <source>Child</source>
        <translation>儿童</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Village</source>
        <translation>村（社区）</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>Request</source>
        <translation>申请事项</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+4"/>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+4"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Submitted by</source>
        <translation>提交人</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+3"/>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Due</source>
        <translation>办理期限</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>Comment</source>
        <translation>审核意见</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Decided by</source>
        <translation>审核人</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open the child&apos;s file</source>
        <translation>打开儿童档案</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All rounds for this child</source>
        <translation>该儿童的全部审核记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve</source>
        <translation>通过</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Return with comment</source>
        <translation>退回并说明</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resubmit after correcting</source>
        <translation>更正后重新提交</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Comment (required when returning: say what to correct)</source>
        <translation>审核意见（退回时必填：写明需要更正的内容）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note to the supervisor (what was corrected)</source>
        <translation>给督导员的说明（更正了哪些内容）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source> (overdue)</source>
        <translation>（已超期）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 requests waiting for your decision</source>
        <translation>待您审核 %1 项</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, %1 overdue</source>
        <translation>，超期 %1 项</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>My requests: %1 returned for correction</source>
        <translation>我的申请：%1 项被退回待更正</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Nothing selected.</source>
        <translation>未选择。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Request: %1, round %2</source>
        <translation>申请事项：%1，第 %2 轮</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submitted by %1 on %2</source>
        <translation>%1 于 %2 提交</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Due by %1</source>
        <translation>办理期限：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Note: %1</source>
        <translation>说明：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Returned by %1: %2</source>
        <translation>%1 退回：%2</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Write what needs correcting before returning the file.</source>
        <translation>退回前请写明需要更正的内容。</translation>
    </message>
    <message>
        <location line="-129"/>
        <source>Conflicting edits…</source>
        <translation>修改冲突…</translation>
    </message>
    <message>
        <location line="+160"/>
        <source>This ledger is not enrolled with a sync server.</source>
        <translation>本台账尚未登记到同步服务器。</translation>
    </message>
    <message>
        <location line="-159"/>
        <source>Files not yet sent for review</source>
        <translation>尚未提交审核的档案</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send for review</source>
        <translation>提交审核</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/settings_page.py" line="+109"/>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock after idle (minutes)</source>
        <translation>无操作自动锁定（分钟）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When nobody uses the computer for this long, the window is covered and the ledger key leaves memory until the password is entered again.</source>
        <translation>电脑在这段时间内无人操作时，窗口会被遮住，台账密钥从内存中清除，直到再次输入密码。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This ledger</source>
        <translation>本台账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Village</source>
        <translation>所属村（社区）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>使用人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device ID</source>
        <translation>设备编号</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/staff_forms.py" line="+23"/>
        <source>Register staff</source>
        <translation>人员登记</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Appointed on</source>
        <translation>任命日期</translation>
    </message>
</context>
<context>
    <name>StaffPage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/staff_page.py" line="+60"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Appointed</source>
        <translation>任命日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Initial training</source>
        <translation>初任培训</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last periodic training</source>
        <translation>最近定期培训</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Township</source>
        <translation>乡镇（街道）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Staff</source>
        <translation>人数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trained</source>
        <translation>已培训</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trained rate</source>
        <translation>培训率</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Include those who left</source>
        <translation>含已离岗人员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Register…</source>
        <translation>登记…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record training…</source>
        <translation>登记培训…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Left the post</source>
        <translation>离岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Initial training per township (target 100%)</source>
        <translation>各乡镇初任培训情况（目标 100%）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>not yet</source>
        <translation>未培训</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In post</source>
        <translation>在岗</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Left</source>
        <translation>已离岗</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 staff registered, %2 without initial training</source>
        <translation>已登记 %1 人，%2 人未参加初任培训</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/sync_status.py" line="+311"/>
        <source>Not connected to a server</source>
        <translation>未连接服务器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Syncing…</source>
        <translation>同步中…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conflicts: %1</source>
        <translation>有冲突：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synced %1</source>
        <translation>已同步 %1</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/sync_page.py" line="+51"/>
        <source>unknown kind of record</source>
        <translation>未知的记录类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown field</source>
        <translation>未知的项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invalid value</source>
        <translation>数值无效</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invalid time stamp</source>
        <translation>时间戳无效</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this PC&apos;s clock is ahead</source>
        <translation>本机时钟超前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown village code</source>
        <translation>未知的村代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>outside your jurisdiction</source>
        <translation>超出管辖范围</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the child is not on the server</source>
        <translation>服务器上没有该儿童</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sending changes…</source>
        <translation>正在上传修改…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving changes…</source>
        <translation>正在接收修改…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloading the records of your area…</source>
        <translation>正在下载本辖区的档案…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Photos and scanned files…</source>
        <translation>照片和扫描件…</translation>
    </message>
    <message>
        <location line="+247"/>
        <source>Server: %1</source>
        <translation>服务器：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect again…</source>
        <translation>重新连接…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This computer is not connected to a sync server yet. Your records stay on this PC; you can also carry changes to the township on a USB stick (below).</source>
        <translation>本机尚未连接同步服务器。档案都保存在本机；也可以用U盘把修改带到乡镇（见下方）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect to a server…</source>
        <translation>连接服务器…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changes not sent yet: %1</source>
        <translation>尚未上传的修改：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offline: the server cannot be reached. Work goes on; it syncs later.</source>
        <translation>离线：连不上服务器。可以照常工作，联网后会自动同步。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+52"/>
        <source>Syncing…</source>
        <translation>同步中…</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Synced</source>
        <translation>已同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synced; some conflicting edits are listed on the right</source>
        <translation>已同步；右侧列出了有冲突的修改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Sync stopped. What was already sent or received is kept; the next sync carries on.</source>
        <translation>同步已停止。已上传或已接收的内容都已保存，下次同步会接着进行。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Last sync: %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent %1 changes: %2 accepted, %3 already superseded, %4 refused.</source>
        <translation>已上传 %1 项修改：接收 %2 项，%3 项已有更新的值，拒收 %4 项。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Received %1 changes (%2 applied).</source>
        <translation>收到 %1 项修改（已写入 %2 项）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Files: %1 sent, %2 received.</source>
        <translation>附件：上传 %1 个，下载 %2 个。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 records moved out of your area and were removed from this PC.</source>
        <translation>%1 条记录已迁出本辖区，已从本机移除。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Conflicts could not be read: %1</source>
        <translation>无法读取冲突列表：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server was restored from a backup. This PC sent all its records again and downloaded the area afresh; nothing was lost.</source>
        <translation>服务器已从备份恢复。本机已重新上传全部记录并重新下载本辖区数据，没有丢失任何内容。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 changes: %2</source>
        <translation>%1 项：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused by the server (they stay in this PC&apos;s history):</source>
        <translation>被服务器拒收的修改（仍保留在本机的修改记录中）：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The sync did not finish: %1</source>
        <translation>同步未完成：%1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Asking the server…</source>
        <translation>正在询问服务器…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 conflicting edits.</source>
        <translation>%1 处修改冲突。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No conflicting edits.</source>
        <translation>没有修改冲突。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Saving the choice and syncing…</source>
        <translation>正在保存选择并同步…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Saved %1 records in %2.
Signer fingerprint: %3 (read it out to the township by phone).</source>
        <translation>已将 %1 条记录保存到 %2。
签名指纹：%3（请通过电话念给乡镇核对）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Imported %1 records from %2.
Signer fingerprint: %3 (compare it with what the sender read out).</source>
        <translation>已从 %2 导入 %1 条记录。
签名指纹：%3（请与发送方念的指纹核对）。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Sync server</source>
        <translation>同步服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync automatically when the server can be reached</source>
        <translation>能连上服务器时自动同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Without a network: USB stick</source>
        <translation>没有网络时：用U盘传递</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the changes not sent yet as an encrypted, signed file, carry it to the township, and import the file the township gives back.</source>
        <translation>把尚未上传的修改保存为加密、签名的文件，带到乡镇；再导入乡镇交回的文件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save unsent changes to a file…</source>
        <translation>导出未上传的修改…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a file…</source>
        <translation>导入传递文件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save a return file for this village…</source>
        <translation>为该村导出回传文件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conflicting edits</source>
        <translation>修改冲突</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Two computers changed the same field before they had seen each other&apos;s change. The newer change was kept; the supervisor may choose the other value.</source>
        <translation>两台电脑在互相同步之前修改了同一项内容。系统保留了较新的修改；督导员可以改用另一个值。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Two computers changed the same field before they had seen each other&apos;s change. The newer change was kept; your township supervisor reviews these.</source>
        <translation>两台电脑在互相同步之前修改了同一项内容。系统保留了较新的修改；由乡镇督导员审核处理。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keep this value</source>
        <translation>保留现用的值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the other value</source>
        <translation>改用另一个值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
</context>
<context>
    <name>TownshipPage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/township_page.py" line="+41"/>
        <source>Township</source>
        <translation>乡镇（街道）</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+5"/>
        <source>Village</source>
        <translation>村（社区）</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Children on file</source>
        <translation>在册儿童</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overdue visits</source>
        <translation>走访逾期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>High risk</source>
        <translation>高风险</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open cases</source>
        <translation>处理中案件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pending reviews</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last heard from</source>
        <translation>最近同步</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Child</source>
        <translation>儿童</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Due</source>
        <translation>办理期限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Working days left</source>
        <translation>剩余工作日</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No-carer status applications under way (10 + 5 working days)</source>
        <translation>办理中的事实无人抚养儿童认定（乡镇 10 个工作日 + 县级 5 个工作日）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> (%1 days ago)</source>
        <translation>（%1 天前）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>townships</source>
        <translation>个乡镇（街道）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>villages</source>
        <translation>个村（社区）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2, %3 children on file; %4 not heard from for %5 days or more</source>
        <translation>%1 %2，在册儿童 %3 人；%4 个超过 %5 天未同步</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Children of %1</source>
        <translation>%1的儿童</translation>
    </message>
</context>
<context>
    <name>TrainingDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/staff_forms.py" line="+25"/>
        <source>Record training: %1</source>
        <translation>登记培训：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hours</source>
        <translation>学时</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Topic</source>
        <translation>培训内容</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/unlock.py" line="+45"/>
        <source>Open the ledger</source>
        <translation>打开台账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Children&apos;s Care Ledger</source>
        <translation>儿童关爱台账</translation>
    </message>
</context>
<context>
    <name>UnlockForm</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/widgets/unlock_form.py" line="+82"/>
        <source>Enter the password first.</source>
        <translation>请先输入密码。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message numerus="yes">
        <location line="+40"/>
        <source>Too many wrong tries. You can try again in %n second(s).</source>
        <translation>
            <numerusform>密码错误次数过多，%n 秒后可以再试。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Enter your password to open the ledger.</source>
        <translation>请输入密码打开台账。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I forgot the password: use the recovery code</source>
        <translation>忘记密码：使用恢复码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recovery code</source>
        <translation>恢复码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
</context>
<context>
    <name>VillagePage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/first_run.py" line="-193"/>
        <source>No village chosen yet.</source>
        <translation>还没有选择村（社区）。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No area chosen yet.</source>
        <translation>还没有选择地区。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Village: %1 (%2)</source>
        <translation>所属村（社区）：%1（%2）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Area of your ledger: %1 (%2)</source>
        <translation>台账所属地区：%1（%2）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Your village</source>
        <translation>您所在的村（社区）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search for the village (村委会 or 社区) by name or by its 12-digit code, or browse the list of Guangxi&apos;s divisions.</source>
        <translation>按名称或 12 位区划代码搜索村委会或社区，也可以在广西行政区划列表中逐级查找。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Village name or code, e.g. 新汉 or 450124100201</source>
        <translation>村名或代码，例如：新汉 或 450124100201</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse</source>
        <translation>逐级查找</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your name (recorded with your changes)</source>
        <translation>您的姓名（记录在修改记录中）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I work as</source>
        <translation>我的身份</translation>
    </message>
</context>
<context>
    <name>VisitForm</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/visit_form.py" line="-149"/>
        <source>Record a visit: %1</source>
        <translation>记录走访：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>none yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last visit: %1</source>
        <translation>上次走访：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>e.g. the child and the grandmother</source>
        <translation>例如：儿童本人和奶奶</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>(not assessed this time)</source>
        <translation>（本次未评估）</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1 (in %2 days)</source>
        <translation>%1（%2 天后）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (already %2 days overdue)</source>
        <translation>%1（已逾期 %2 天）</translation>
    </message>
</context>
<context>
    <name>VisitsView</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/visits_page.py" line="+81"/>
        <source>Search name, pinyin initials or ID number</source>
        <translation>搜索姓名、拼音首字母或身份证号</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+5"/>
        <source>Record visit…</source>
        <translation>记录走访…</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Overdue only</source>
        <translation>只看逾期</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Record parent contact…</source>
        <translation>记录父母联系…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Left-behind children whose parents have not contacted them for more than 7 days.</source>
        <translation>父母超过 7 天没有联系的留守儿童。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Due and overdue</source>
        <translation>应走访和逾期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recent visits</source>
        <translation>最近走访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parent contact</source>
        <translation>父母联系</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>%1 children</source>
        <translation>共 %1 名儿童</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 shown</source>
        <translation>显示 %1 / %2 名</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 children are overdue for a visit</source>
        <translation>%1 名儿童走访逾期</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/dialogs/first_run.py" line="-145"/>
        <source>Welcome</source>
        <translation>欢迎使用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This program keeps the files of the children you look after in an encrypted ledger on this computer. It works without a network and sends changes to the township when a connection is available.</source>
        <translation>本程序把您关爱的儿童档案保存在这台电脑上的加密台账里。没有网络也能使用，有网络时再把修改同步到乡镇。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create my ledger</source>
        <translation>创建我的台账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First try a demo ledger with invented children</source>
        <translation>先用虚构数据的演示台账试一试</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../src/gxcare_desktop/ui/pages/child_file_page.py" line="-851"/>
        <source>Add a photo or a scanned document</source>
        <translation>添加照片或扫描件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images and scans (*.png *.jpg *.jpeg *.bmp *.pdf);;All files (*)</source>
        <translation>图片和扫描件 (*.png *.jpg *.jpeg *.bmp *.pdf);;所有文件 (*)</translation>
    </message>
</context>
</TS>
