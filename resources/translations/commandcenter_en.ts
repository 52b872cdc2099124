<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ActionController</name>
    <message>
        <source>{a}（{k}）</source>
        <translation>{a} ({k})</translation>
    </message>
    <message>
        <source>无法打开“{a}”：{e}</source>
        <translation>Cannot open “{a}”: {e}</translation>
    </message>
    <message>
        <source>所选事件中 {code} 不能执行：{reason}</source>
        <translation>Of the selected cases, {code} cannot take it: {reason}</translation>
    </message>
    <message>
        <source>不支持批量操作，请只选一件</source>
        <translation>Not available for several cases: select just one</translation>
    </message>
    <message>
        <source>“{a}”不支持批量操作，请只选一件</source>
        <translation>“{a}” is not available for several cases: select just one</translation>
    </message>
    <message>
        <source>最多批量处理 {n} 件</source>
        <translation>At most {n} cases at once</translation>
    </message>
    <message>
        <source>当前选中的事件不能执行此操作</source>
        <translation>The selected case does not allow this action</translation>
    </message>
    <message>
        <source>不能{a}：{r}</source>
        <translation>Cannot {a}: {r}</translation>
    </message>
    <message>
        <source>{a}失败：{e}</source>
        <translation>{a} failed: {e}</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>{code}：{reason}</source>
        <translation>{code}: {reason}</translation>
    </message>
    <message>
        <source>{done}：{code}</source>
        <translation>{done}: {code}</translation>
    </message>
    <message>
        <source>未能{a}：{r}</source>
        <translation>Could not {a}: {r}</translation>
    </message>
    <message>
        <source>{a}未执行，{m} 件均被拒绝：{list}</source>
        <translation>{a} not done: all {m} cases refused: {list}</translation>
    </message>
    <message>
        <source>{done} {n} 件</source>
        <translation>{done}: {n} cases</translation>
    </message>
    <message>
        <source>，{m} 件未执行：{list}</source>
        <translation>; {m} not done: {list}</translation>
    </message>
</context>
<context>
    <name>ActionSpecs</name>
    <message>
        <source>受理立案</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>派遣</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <source>签收</source>
        <translation>Sign for</translation>
    </message>
    <message>
        <source>处理反馈</source>
        <translation>Report back</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>改派</source>
        <translation>Reassign</translation>
    </message>
    <message>
        <source>上报上级</source>
        <translation>Escalate</translation>
    </message>
    <message>
        <source>交办</source>
        <translation>Hand down</translation>
    </message>
    <message>
        <source>催办</source>
        <translation>Urge</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Supervise</translation>
    </message>
    <message>
        <source>申请延期</source>
        <translation>Request extension</translation>
    </message>
    <message>
        <source>批准延期</source>
        <translation>Approve extension</translation>
    </message>
    <message>
        <source>驳回延期</source>
        <translation>Deny extension</translation>
    </message>
    <message>
        <source>挂账</source>
        <translation>Suspend</translation>
    </message>
    <message>
        <source>解除挂账</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>核查通过</source>
        <translation>Pass check</translation>
    </message>
    <message>
        <source>返工</source>
        <translation>Rework</translation>
    </message>
    <message>
        <source>结案</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>评价</source>
        <translation>Evaluate</translation>
    </message>
    <message>
        <source>归档</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>重新打开</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>合并重复</source>
        <translation>Merge duplicate</translation>
    </message>
    <message>
        <source>查看个人信息</source>
        <translation>Reveal personal data</translation>
    </message>
    <message>
        <source>处置部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>事件分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>紧急程度</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>受理意见</source>
        <translation>Acceptance note</translation>
    </message>
    <message>
        <source>选填</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>不予受理的理由</source>
        <translation>Reason for rejecting</translation>
    </message>
    <message>
        <source>如：重复上报、不属于受理范围、信息无效</source>
        <translation>e.g. reported twice, not our remit, invalid information</translation>
    </message>
    <message>
        <source>已不予受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>派遣意见</source>
        <translation>Dispatch note</translation>
    </message>
    <message>
        <source>选填：处置要求、注意事项</source>
        <translation>Optional: what to do, what to watch out for</translation>
    </message>
    <message>
        <source>已派遣</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <source>签收意见</source>
        <translation>Sign-for note</translation>
    </message>
    <message>
        <source>已签收</source>
        <translation>Signed for</translation>
    </message>
    <message>
        <source>确认签收事件 {code}？签收后开始处置计时。</source>
        <translation>Sign for case {code}? The handling clock starts when you sign for it.</translation>
    </message>
    <message>
        <source>处理结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>处置经过与结果</source>
        <translation>What was done and the outcome</translation>
    </message>
    <message>
        <source>已反馈</source>
        <translation>Reported back</translation>
    </message>
    <message>
        <source>退回理由</source>
        <translation>Reason for returning</translation>
    </message>
    <message>
        <source>如：不属于本部门职责</source>
        <translation>e.g. not this department&apos;s remit</translation>
    </message>
    <message>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>改派理由</source>
        <translation>Reason for reassigning</translation>
    </message>
    <message>
        <source>已改派</source>
        <translation>Reassigned</translation>
    </message>
    <message>
        <source>上报理由</source>
        <translation>Reason for escalating</translation>
    </message>
    <message>
        <source>如：涉及多个部门，本级无法协调</source>
        <translation>e.g. several departments involved, cannot be coordinated at this level</translation>
    </message>
    <message>
        <source>已上报上级</source>
        <translation>Escalated</translation>
    </message>
    <message>
        <source>交办给</source>
        <translation>Hand down to</translation>
    </message>
    <message>
        <source>交办意见</source>
        <translation>Instructions</translation>
    </message>
    <message>
        <source>工作要求与时限</source>
        <translation>What to do and by when</translation>
    </message>
    <message>
        <source>已交办</source>
        <translation>Handed down</translation>
    </message>
    <message>
        <source>催办意见</source>
        <translation>Urging note</translation>
    </message>
    <message>
        <source>已催办</source>
        <translation>Urged</translation>
    </message>
    <message>
        <source>催办事件 {code}？</source>
        <translation>Urge case {code}?</translation>
    </message>
    <message>
        <source>督办意见</source>
        <translation>Supervision note</translation>
    </message>
    <message>
        <source>督办要求</source>
        <translation>What is required</translation>
    </message>
    <message>
        <source>已督办</source>
        <translation>Supervised</translation>
    </message>
    <message>
        <source>延期时长</source>
        <translation>Extension</translation>
    </message>
    <message>
        <source>延期理由</source>
        <translation>Reason for the extension</translation>
    </message>
    <message>
        <source>已申请延期</source>
        <translation>Extension requested</translation>
    </message>
    <message>
        <source>审批意见</source>
        <translation>Approval note</translation>
    </message>
    <message>
        <source>已批准延期</source>
        <translation>Extension approved</translation>
    </message>
    <message>
        <source>批准事件 {code} 的延期申请？</source>
        <translation>Approve the extension request of case {code}?</translation>
    </message>
    <message>
        <source>驳回理由</source>
        <translation>Reason for denying</translation>
    </message>
    <message>
        <source>已驳回延期</source>
        <translation>Extension denied</translation>
    </message>
    <message>
        <source>挂账理由</source>
        <translation>Reason for suspending</translation>
    </message>
    <message>
        <source>如：需等待上级政策、资金到位</source>
        <translation>e.g. waiting for a policy decision or for funds</translation>
    </message>
    <message>
        <source>已挂账</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <source>解除挂账说明</source>
        <translation>Resumption note</translation>
    </message>
    <message>
        <source>已解除挂账</source>
        <translation>Resumed</translation>
    </message>
    <message>
        <source>解除事件 {code} 的挂账？计时将恢复。</source>
        <translation>Resume case {code}? Its clock starts again.</translation>
    </message>
    <message>
        <source>核查意见</source>
        <translation>Check note</translation>
    </message>
    <message>
        <source>已核查通过</source>
        <translation>Check passed</translation>
    </message>
    <message>
        <source>确认事件 {code} 核查通过？</source>
        <translation>Confirm that case {code} passes the check?</translation>
    </message>
    <message>
        <source>返工理由</source>
        <translation>Reason for rework</translation>
    </message>
    <message>
        <source>核查发现的问题</source>
        <translation>What the check found</translation>
    </message>
    <message>
        <source>已返工</source>
        <translation>Sent back for rework</translation>
    </message>
    <message>
        <source>结案意见</source>
        <translation>Closing note</translation>
    </message>
    <message>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>确认事件 {code} 结案？</source>
        <translation>Close case {code}?</translation>
    </message>
    <message>
        <source>评价结果</source>
        <translation>Rating</translation>
    </message>
    <message>
        <source>回访意见</source>
        <translation>Follow-up note</translation>
    </message>
    <message>
        <source>选填：回访情况</source>
        <translation>Optional: what the follow-up call found</translation>
    </message>
    <message>
        <source>已评价</source>
        <translation>Evaluated</translation>
    </message>
    <message>
        <source>归档说明</source>
        <translation>Archiving note</translation>
    </message>
    <message>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>将事件 {code} 归档？归档后不能再操作。</source>
        <translation>Archive case {code}? No action is possible after archiving.</translation>
    </message>
    <message>
        <source>重新打开的理由</source>
        <translation>Reason for reopening</translation>
    </message>
    <message>
        <source>已重新打开</source>
        <translation>Reopened</translation>
    </message>
    <message>
        <source>备注内容</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>已添加备注</source>
        <translation>Comment added</translation>
    </message>
    <message>
        <source>合并到</source>
        <translation>Merge into</translation>
    </message>
    <message>
        <source>合并说明</source>
        <translation>Merge note</translation>
    </message>
    <message>
        <source>已合并</source>
        <translation>Merged</translation>
    </message>
    <message>
        <source>查看理由</source>
        <translation>Reason for viewing</translation>
    </message>
    <message>
        <source>选填：如回访核实</source>
        <translation>Optional: e.g. follow-up call</translation>
    </message>
    <message>
        <source>已显示个人信息</source>
        <translation>Personal data shown</translation>
    </message>
    <message>
        <source>查看事件 {code} 反映人的姓名和联系电话？此操作将记入处理过程。</source>
        <translation>Show the reporter&apos;s name and phone number of case {code}? This is recorded in the case history.</translation>
    </message>
</context>
<context>
    <name>AlertBar</name>
    <message>
        <source>新的特急事件</source>
        <translation>New critical case</translation>
    </message>
    <message>
        <source>新的紧急事件</source>
        <translation>New urgent case</translation>
    </message>
    <message>
        <source>即将超期</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>【{reason}】</source>
        <translation>[{reason}]</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <source>全部知道了</source>
        <translation>Dismiss all</translation>
    </message>
    <message>
        <source>清除全部提醒（事件仍在队列中）</source>
        <translation>Clear all alerts (the cases stay in the queue)</translation>
    </message>
    <message>
        <source>打开事件 {code}</source>
        <translation>Open case {code}</translation>
    </message>
    <message>
        <source>另有 {n} 条</source>
        <translation>{n} more</translation>
    </message>
    <message>
        <source>取消静音（{t}）</source>
        <translation>Unmute ({t})</translation>
    </message>
    <message>
        <source>恢复提醒声音</source>
        <translation>Turn the alert sound back on</translation>
    </message>
    <message>
        <source>静音 {m} 分钟</source>
        <translation>Mute {m} min</translation>
    </message>
    <message>
        <source>{m} 分钟内不响提示音，之后自动恢复</source>
        <translation>No alert sound for {m} minutes, then it comes back on by itself</translation>
    </message>
</context>
<context>
    <name>CaseDetail</name>
    <message>
        <source>请在左侧列表中选择一个事件，查看详情与处理过程。</source>
        <translation>Select a case in the list to see its details and history.</translation>
    </message>
    <message>
        <source>该事件已不存在。</source>
        <translation>This case no longer exists.</translation>
    </message>
    <message>
        <source>已查看，已记入处理过程</source>
        <translation>viewed; recorded in the history</translation>
    </message>
    <message>
        <source>{text}（{note}）</source>
        <translation>{text} ({note})</translation>
    </message>
    <message>
        <source>相距 {m} 米</source>
        <translation>{m} m away</translation>
    </message>
    <message>
        <source>同一网格</source>
        <translation>same grid</translation>
    </message>
    <message>
        <source>相似度 {p}%</source>
        <translation>{p}% alike</translation>
    </message>
    <message>
        <source>已合并到</source>
        <translation>Merged into</translation>
    </message>
    <message>
        <source>合并进来的事件</source>
        <translation>Merged in</translation>
    </message>
    <message>
        <source>疑似重复</source>
        <translation>Likely duplicates</translation>
    </message>
    <message>
        <source>相关事件</source>
        <translation>Related cases</translation>
    </message>
    <message>
        <source>未发现相关或疑似重复的事件</source>
        <translation>No related or likely duplicate cases</translation>
    </message>
    <message>
        <source>未分类</source>
        <translation>Uncategorised</translation>
    </message>
    <message>
        <source>挂账中（计时暂停）</source>
        <translation>Suspended (clock stopped)</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Supervised</translation>
    </message>
    <message>
        <source>挂账</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <source>已上报上级</source>
        <translation>Escalated</translation>
    </message>
    <message>
        <source>催办 {n} 次</source>
        <translation>urged {n}×</translation>
    </message>
    <message>
        <source>退回 {n} 次</source>
        <translation>returned {n}×</translation>
    </message>
    <message>
        <source>返工 {n} 次</source>
        <translation>reworked {n}×</translation>
    </message>
    <message>
        <source>重新打开 {n} 次</source>
        <translation>reopened {n}×</translation>
    </message>
    <message>
        <source>延期申请审批中</source>
        <translation>extension request pending</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>紧急程度</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>所属中心</source>
        <translation>Centre</translation>
    </message>
    <message>
        <source>处置部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>反映人</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>上报时间</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>更新时间</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>乡镇(街道)</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>村(社区)</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>坐标</source>
        <translation>Coordinates</translation>
    </message>
    <message>
        <source>阶段时限</source>
        <translation>Stage deadline</translation>
    </message>
    <message>
        <source>总时限</source>
        <translation>Case deadline</translation>
    </message>
    <message>
        <source>标记</source>
        <translation>Flags</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>时限与标记</source>
        <translation>Deadlines and flags</translation>
    </message>
    <message>
        <source>事件描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>处理过程</source>
        <translation>History</translation>
    </message>
    <message>
        <source>暂无记录</source>
        <translation>No entries yet</translation>
    </message>
</context>
<context>
    <name>ChoiceFilter</name>
    <message>
        <source>{title}：{values}</source>
        <translation>{title}: {values}</translation>
    </message>
    <message>
        <source>{title}：{value}</source>
        <translation>{title}: {value}</translation>
    </message>
    <message>
        <source>{title}：{n}项</source>
        <translation>{title}: {n} selected</translation>
    </message>
</context>
<context>
    <name>ChoicePopup</name>
    <message>
        <source>输入名称筛选列表…</source>
        <translation>Type a name to narrow the list…</translation>
    </message>
</context>
<context>
    <name>CommandDialog</name>
    <message>
        <source>确定（Ctrl+Enter）</source>
        <translation>OK (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>检查失败：{e}</source>
        <translation>Check failed: {e}</translation>
    </message>
    <message>
        <source>找不到该事件</source>
        <translation>Case not found</translation>
    </message>
    <message>
        <source>事件刚被他人更新（现为“{status}”），已载入最新状态，请核对后再提交。</source>
        <translation>Someone has just updated this case (now “{status}”). Its current state is loaded: check it and submit again.</translation>
    </message>
    <message>
        <source>所选 {n} 件均无法执行：</source>
        <translation>None of the {n} selected cases allows it: </translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>{code}：{reason}</source>
        <translation>{code}: {reason}</translation>
    </message>
    <message>
        <source>批量{action}（{n} 件）</source>
        <translation>{action} ({n} cases)</translation>
    </message>
    <message>
        <source> 等</source>
        <translation> and more</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>已选 {n} 件</source>
        <translation>{n} selected</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>未分类</source>
        <translation>Uncategorised</translation>
    </message>
    <message>
        <source>所选事件</source>
        <translation>the selected cases</translation>
    </message>
    <message>
        <source>延期申请：{span}（{m} 个工作分钟）。理由：{reason}</source>
        <translation>Extension requested: {span} ({m} working minutes). Reason: {reason}</translation>
    </message>
    <message>
        <source>选填</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>工作日</source>
        <translation>working days</translation>
    </message>
    <message>
        <source>工作小时</source>
        <translation>working hours</translation>
    </message>
    <message>
        <source>= {m} 个工作分钟</source>
        <translation>= {m} working minutes</translation>
    </message>
    <message>
        <source>1 个工作日按 {d} 个工作分钟计；最长 30 个工作日</source>
        <translation>1 working day counts as {d} working minutes; 30 working days at most</translation>
    </message>
    <message>
        <source>搜索分类名称或编码，回车选第一项</source>
        <translation>Search category name or code; Enter picks the first</translation>
    </message>
    <message>
        <source>请选择小类</source>
        <translation>Choose a subcategory</translation>
    </message>
    <message>
        <source>{code} · 派遣时限 {d} · 处置时限 {h}{dept}</source>
        <translation>{code} · dispatch within {d} · handle within {h}{dept}</translation>
    </message>
    <message>
        <source> · 默认部门 {name}</source>
        <translation> · default department {name}</translation>
    </message>
    <message>
        <source>搜索部门</source>
        <translation>Search departments</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>当前负荷</source>
        <translation>Current load</translation>
    </message>
    <message>
        <source>推荐</source>
        <translation>suggested</translation>
    </message>
    <message>
        <source>当前</source>
        <translation>current</translation>
    </message>
    <message>
        <source>（{tags}）</source>
        <translation> ({tags})</translation>
    </message>
    <message>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <source>在办 {open} · 超期 {overdue}</source>
        <translation>{open} open · {overdue} overdue</translation>
    </message>
    <message>
        <source>当前处置部门</source>
        <translation>Current department</translation>
    </message>
    <message>
        <source>下级中心</source>
        <translation>Lower-level centre</translation>
    </message>
    <message>
        <source>（推荐：事发地）</source>
        <translation> (suggested: where it happened)</translation>
    </message>
    <message>
        <source>按编号或标题搜索本中心在办事件</source>
        <translation>Search this centre&apos;s open cases by code or title</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>上报时间</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>{n} 个工作日</source>
        <translation>{n} working days</translation>
    </message>
    <message>
        <source>{n} 小时</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <source>{n} 分钟</source>
        <translation>{n} min</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <source>{d}天{h}小时</source>
        <translation>{d} d {h} h</translation>
    </message>
    <message>
        <source>{h}小时{m}分</source>
        <translation>{h} h {m} min</translation>
    </message>
    <message>
        <source>{m}分</source>
        <translation>{m} min</translation>
    </message>
    <message>
        <source>剩余 {t}</source>
        <translation>{t} left</translation>
    </message>
    <message>
        <source>超期 {t}</source>
        <translation>{t} overdue</translation>
    </message>
</context>
<context>
    <name>Enum.CommandType</name>
    <message>
        <source>上报</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>受理立案</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>派遣</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <source>签收</source>
        <translation>Sign for</translation>
    </message>
    <message>
        <source>处理反馈</source>
        <translation>Report back</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>改派</source>
        <translation>Reassign</translation>
    </message>
    <message>
        <source>上报上级</source>
        <translation>Escalate</translation>
    </message>
    <message>
        <source>交办</source>
        <translation>Hand down</translation>
    </message>
    <message>
        <source>催办</source>
        <translation>Urge</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Supervise</translation>
    </message>
    <message>
        <source>申请延期</source>
        <translation>Request extension</translation>
    </message>
    <message>
        <source>批准延期</source>
        <translation>Approve extension</translation>
    </message>
    <message>
        <source>驳回延期</source>
        <translation>Deny extension</translation>
    </message>
    <message>
        <source>挂账</source>
        <translation>Suspend</translation>
    </message>
    <message>
        <source>解除挂账</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>核查通过</source>
        <translation>Pass check</translation>
    </message>
    <message>
        <source>返工</source>
        <translation>Rework</translation>
    </message>
    <message>
        <source>结案</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>评价</source>
        <translation>Evaluate</translation>
    </message>
    <message>
        <source>归档</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>重新打开</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>合并重复</source>
        <translation>Merge duplicate</translation>
    </message>
    <message>
        <source>查看个人信息</source>
        <translation>Reveal personal data</translation>
    </message>
</context>
<context>
    <name>Enum.OrgLevel</name>
    <message>
        <source>省</source>
        <translation>Province</translation>
    </message>
    <message>
        <source>市</source>
        <translation>City</translation>
    </message>
    <message>
        <source>县(市、区)</source>
        <translation>County</translation>
    </message>
    <message>
        <source>乡镇(街道)</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>村(社区)</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>网格</source>
        <translation>Grid</translation>
    </message>
</context>
<context>
    <name>Enum.Priority</name>
    <message>
        <source>一般</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>紧急</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <source>特急</source>
        <translation>Critical</translation>
    </message>
</context>
<context>
    <name>Enum.Role</name>
    <message>
        <source>值班员</source>
        <translation>Duty operator</translation>
    </message>
    <message>
        <source>值班长</source>
        <translation>Shift lead</translation>
    </message>
    <message>
        <source>督查员</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>部门处置员</source>
        <translation>Department handler</translation>
    </message>
    <message>
        <source>网格员</source>
        <translation>Grid worker</translation>
    </message>
    <message>
        <source>大屏</source>
        <translation>Wall display</translation>
    </message>
    <message>
        <source>系统管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>安全审计员</source>
        <translation>Security auditor</translation>
    </message>
</context>
<context>
    <name>Enum.Satisfaction</name>
    <message>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <source>基本满意</source>
        <translation>Mostly satisfied</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
</context>
<context>
    <name>Enum.Severity</name>
    <message>
        <source>一般</source>
        <translation>Ordinary</translation>
    </message>
    <message>
        <source>较大</source>
        <translation>Major</translation>
    </message>
    <message>
        <source>重大</source>
        <translation>Serious</translation>
    </message>
    <message>
        <source>特别重大</source>
        <translation>Extreme</translation>
    </message>
</context>
<context>
    <name>Enum.SlaState</name>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>即将超期</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
</context>
<context>
    <name>Enum.Source</name>
    <message>
        <source>网格员上报</source>
        <translation>Grid worker</translation>
    </message>
    <message>
        <source>967999热线</source>
        <translation>967999 hotline</translation>
    </message>
    <message>
        <source>12345热线</source>
        <translation>12345 hotline</translation>
    </message>
    <message>
        <source>视频巡查</source>
        <translation>Video patrol</translation>
    </message>
    <message>
        <source>群众来访</source>
        <translation>Walk-in</translation>
    </message>
    <message>
        <source>领导批示</source>
        <translation>Leader&apos;s instruction</translation>
    </message>
    <message>
        <source>部门转办</source>
        <translation>Department referral</translation>
    </message>
</context>
<context>
    <name>Enum.Status</name>
    <message>
        <source>待受理</source>
        <translation>New</translation>
    </message>
    <message>
        <source>待派遣</source>
        <translation>To dispatch</translation>
    </message>
    <message>
        <source>待签收</source>
        <translation>To sign for</translation>
    </message>
    <message>
        <source>处置中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>待核查</source>
        <translation>To check</translation>
    </message>
    <message>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>已合并</source>
        <translation>Merged</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>乡镇/网格</source>
        <translation>Township/grid</translation>
    </message>
    <message>
        <source>紧急程度</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>全部分类</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>全部乡镇/网格</source>
        <translation>All townships/grids</translation>
    </message>
    <message>
        <source>已筛选 {n} 项</source>
        <translation>Filters on: {n}</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>键盘快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>按 Esc、F1 或 ? 关闭；灰色的操作对当前选中的事件不可用</source>
        <translation>Esc, F1 or ? closes this; greyed-out actions are not possible on the selected case</translation>
    </message>
    <message>
        <source>关闭（Esc）</source>
        <translation>Close (Esc)</translation>
    </message>
</context>
<context>
    <name>HotlineIntakeDialog</name>
    <message>
        <source>联系电话格式不正确：应为 11 位手机号或带区号的固定电话</source>
        <translation>Invalid phone number: use an 11-digit mobile number or a landline with its area code</translation>
    </message>
    <message>
        <source>新建热线事件</source>
        <translation>New hotline case</translation>
    </message>
    <message>
        <source>新建热线事件 F2</source>
        <translation>New hotline case F2</translation>
    </message>
    <message>
        <source>新建热线事件（F2）：登记 12345/967999 来电或群众来访</source>
        <translation>New hotline case (F2): register a 12345/967999 call or a walk-in</translation>
    </message>
    <message>
        <source>来电信息</source>
        <translation>Call</translation>
    </message>
    <message>
        <source>来电人姓名（可匿名）</source>
        <translation>Caller&apos;s name (may stay anonymous)</translation>
    </message>
    <message>
        <source>手机号或带区号的固定电话，如 13812345678、0571-64612345</source>
        <translation>Mobile or landline with area code, e.g. 13812345678, 0571-64612345</translation>
    </message>
    <message>
        <source>输入关键字搜索，如“垃圾”“纠纷”“消防”</source>
        <translation>Type to search, e.g. “垃圾” (rubbish), “纠纷” (dispute), “消防” (fire)</translation>
    </message>
    <message>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>来电人所说的地点，如 白云路12号菜场门口</source>
        <translation>The place the caller names, e.g. outside the market, 12 Baiyun Road</translation>
    </message>
    <message>
        <source>留空则自动生成：分类 + 地点</source>
        <translation>Leave empty to generate it: category + place</translation>
    </message>
    <message>
        <source>来电内容：发生了什么、持续多久、有无人员受伤、来电人诉求</source>
        <translation>What happened, for how long, whether anyone is hurt, what the caller asks for</translation>
    </message>
    <message>
        <source>来电渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>来电人</source>
        <translation>Caller</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>事件分类 *</source>
        <translation>Category *</translation>
    </message>
    <message>
        <source>紧急程度</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>事件地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>所属网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>事件标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>来电内容</source>
        <translation>What the caller said</translation>
    </message>
    <message>
        <source>可能重复的事件</source>
        <translation>Possible duplicates</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>距离</source>
        <translation>Distance</translation>
    </message>
    <message>
        <source>上报时间</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>相似度</source>
        <translation>Similarity</translation>
    </message>
    <message>
        <source>合并到此事件</source>
        <translation>Merge into this case</translation>
    </message>
    <message>
        <source>新建本次来电的事件，并把它合并到选中的事件（两步都记入处理过程）</source>
        <translation>Create a case for this call and merge it into the selected case (both steps are recorded in the history)</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>关闭窗口；已填写的内容会保留，再按 F2 继续</source>
        <translation>Close the window; what you typed is kept, press F2 to go on</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>保存为新事件（Ctrl+Enter）</source>
        <translation>Save as a new case (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>乡镇/街道（可选）</source>
        <translation>Township (optional)</translation>
    </message>
    <message>
        <source>村/社区</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>{what}（可选）</source>
        <translation>{what} (optional)</translation>
    </message>
    <message>
        <source>先选上一级</source>
        <translation>Choose the level above first</translation>
    </message>
    <message>
        <source>事件分类“{t}”不存在，请从列表中选择一个小类</source>
        <translation>There is no category “{t}”: choose a subcategory from the list</translation>
    </message>
    <message>
        <source>请选择事件分类（小类）</source>
        <translation>Choose a category (subcategory)</translation>
    </message>
    <message>
        <source>请填写事件地址或选择所属网格</source>
        <translation>Enter an address or choose a grid</translation>
    </message>
    <message>
        <source>来电内容过长（最多 {n} 字）</source>
        <translation>The call text is too long (at most {n} characters)</translation>
    </message>
    <message>
        <source>事件 {code} 已新建；请合并，或关闭窗口</source>
        <translation>Case {code} created; merge it or close the window</translation>
    </message>
    <message>
        <source>请先在右侧列表中选择要合并到的事件</source>
        <translation>First choose the case to merge into in the list on the right</translation>
    </message>
    <message>
        <source>热线来电与 {code} 反映同一问题，合并</source>
        <translation>Hotline call about the same problem as {code}: merged</translation>
    </message>
    <message>
        <source>保存失败</source>
        <translation>Saving failed</translation>
    </message>
    <message>
        <source>事件 {code} 已新建，但未能合并到 {target}：{reason}</source>
        <translation>Case {code} was created but could not be merged into {target}: {reason}</translation>
    </message>
    <message>
        <source>已新建事件 {code} 并合并到 {target}</source>
        <translation>Created case {code} and merged it into {target}</translation>
    </message>
    <message>
        <source>查重失败，可直接保存</source>
        <translation>The duplicate check failed; you can save anyway</translation>
    </message>
    <message>
        <source>{m} 米</source>
        <translation>{m} m</translation>
    </message>
    <message>
        <source>同网格</source>
        <translation>same grid</translation>
    </message>
    <message>
        <source>未能保存：{reason}</source>
        <translation>Could not save: {reason}</translation>
    </message>
    <message>
        <source>已新建事件 {code}</source>
        <translation>Created case {code}</translation>
    </message>
    <message>
        <source>热线来电</source>
        <translation>Hotline call</translation>
    </message>
    <message>
        <source>发现 {n} 件可能重复的事件（{h} 小时内、{r} 米范围或同网格的同类事件）。同一件事请选中后“合并到此事件”，不同的事请“仍然新建”。</source>
        <translation>{n} possible duplicates (cases of the same kind in the last {h} hours within {r} m or in the same grid). If it is the same matter, select it and “Merge into this case”; if not, “Create anyway”.</translation>
    </message>
    <message>
        <source>未发现可能重复的事件。</source>
        <translation>No possible duplicates.</translation>
    </message>
    <message>
        <source>选择事件分类和所属网格后，这里列出 {h} 小时内附近的同类事件。</source>
        <translation>Once a category and a grid are chosen, cases of the same kind nearby in the last {h} hours are listed here.</translation>
    </message>
    <message>
        <source>仍然新建</source>
        <translation>Create anyway</translation>
    </message>
    <message>
        <source>{role}无权合并事件</source>
        <translation>A {role} may not merge cases</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <source>工作台已锁定</source>
        <translation>Workstation locked</translation>
    </message>
    <message>
        <source>{m} 分钟</source>
        <translation>{m} min</translation>
    </message>
    <message>
        <source>{s} 秒</source>
        <translation>{s} s</translation>
    </message>
    <message>
        <source>{idle}无操作，{t} 自动锁定</source>
        <translation>No input for {idle}: locks in {t}</translation>
    </message>
</context>
<context>
    <name>KpiPanel</name>
    <message>
        <source>结案率 = 结案数 / 应结案数。应结案数：期内立案且已结案或已过整体办结时限的事件</source>
        <translation>Closure rate = closed / due for closure. Due for closure: registered in the period and closed or past the whole-case deadline</translation>
    </message>
    <message>
        <source>按期结案率 = 按期结案数 / 应结案数</source>
        <translation>On-time closure rate = closed on time / due for closure</translation>
    </message>
    <message>
        <source>按期处置率 = 按期处置数 / 应处置数。应处置数：已派遣且已反馈或已过处置时限的事件</source>
        <translation>On-time handling rate = handled on time / due for handling. Due for handling: dispatched and fed back or past the handling deadline</translation>
    </message>
    <message>
        <source>返工率 = 返工案件数 / 处置反馈数</source>
        <translation>Rework rate = cases sent back for rework / cases fed back</translation>
    </message>
    <message>
        <source>回退率 = 回退案件数 / 派遣数</source>
        <translation>Return rate = cases returned by a department / cases dispatched</translation>
    </message>
    <message>
        <source>平均处置时长 = Σ(反馈时间 − 派遣时间) / 处置反馈数（小时）</source>
        <translation>Average handling time = Σ(feedback time − dispatch time) / cases fed back (hours)</translation>
    </message>
    <message>
        <source>镇村解决率 = 在乡镇(街道)及以下结案数 / 结案数</source>
        <translation>Local resolution rate = closed at township level or below / closed</translation>
    </message>
    <message>
        <source>结案率</source>
        <translation>Closure rate</translation>
    </message>
    <message>
        <source>按期结案率</source>
        <translation>On-time closure rate</translation>
    </message>
    <message>
        <source>按期处置率</source>
        <translation>On-time handling rate</translation>
    </message>
    <message>
        <source>返工率</source>
        <translation>Rework rate</translation>
    </message>
    <message>
        <source>回退率</source>
        <translation>Return rate</translation>
    </message>
    <message>
        <source>平均处置时长(小时)</source>
        <translation>Avg. handling time (h)</translation>
    </message>
    <message>
        <source>镇村解决率</source>
        <translation>Local resolution rate</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>立案数</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>统计周期</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>分组</source>
        <translation>Group by</translation>
    </message>
    <message>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <source>按乡镇</source>
        <translation>By township</translation>
    </message>
    <message>
        <source>按类别</source>
        <translation>By category</translation>
    </message>
    <message>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <source>期内立案（受理）的事件数，不含不予受理和已合并</source>
        <translation>Cases registered (accepted) in the period, not counting rejected and merged ones</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <source>导出考核指标</source>
        <translation>Export KPIs</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>工作台已锁定</source>
        <translation>Workstation locked</translation>
    </message>
    <message>
        <source>值班人员：{who}（{role}，{user}）</source>
        <translation>On duty: {who} ({role}, {user})</translation>
    </message>
    <message>
        <source>输入 {user} 的密码解锁</source>
        <translation>Enter {user}&apos;s password to unlock</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>请输入密码</source>
        <translation>Enter the password</translation>
    </message>
    <message>
        <source>暂时无法验证身份，请稍后再试</source>
        <translation>Cannot check the password right now; try again later</translation>
    </message>
    <message>
        <source>密码错误</source>
        <translation>Wrong password</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>用户名或密码错误</source>
        <translation>Wrong user name or password</translation>
    </message>
    <message>
        <source>连续输错 {n} 次，请 {s} 秒后再试</source>
        <translation>{n} failed attempts in a row: try again in {s} s</translation>
    </message>
    <message>
        <source>登录 — CommandCenter 值班工作台</source>
        <translation>Log in — CommandCenter duty workstation</translation>
    </message>
    <message>
        <source>社会治理综合指挥中心 · 值班工作台</source>
        <translation>Social Governance Command Centre · Duty workstation</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>请输入用户名</source>
        <translation>Enter the user name</translation>
    </message>
    <message>
        <source>请输入密码</source>
        <translation>Enter the password</translation>
    </message>
    <message>
        <source>暂时无法验证身份（本地数据库不可用），请稍后再试或联系管理员</source>
        <translation>Cannot check the password right now (the local store is unavailable); try again later or call the administrator</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>待受理</source>
        <translation>New</translation>
    </message>
    <message>
        <source>待派遣</source>
        <translation>To dispatch</translation>
    </message>
    <message>
        <source>处置中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>待核查</source>
        <translation>To check</translation>
    </message>
    <message>
        <source>即将超期</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Supervised</translation>
    </message>
    <message>
        <source>已上报</source>
        <translation>Escalated</translation>
    </message>
    <message>
        <source>全部在办</source>
        <translation>All open</translation>
    </message>
    <message>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>{tab}（Ctrl+{n}）</source>
        <translation>{tab} (Ctrl+{n})</translation>
    </message>
    <message>
        <source>全县</source>
        <translation>Whole county</translation>
    </message>
    <message>
        <source>{name}（{role}）</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <source>单机模式</source>
        <translation>Standalone</translation>
    </message>
    <message>
        <source>未配置服务器：本机数据库即为权威数据</source>
        <translation>No server configured: the local store is the authority</translation>
    </message>
    <message>
        <source>最后更新 {t}</source>
        <translation>Updated {t}</translation>
    </message>
    <message>
        <source>在办 {n} · 超期 {m}</source>
        <translation>{n} open · {m} overdue</translation>
    </message>
    <message>
        <source>显示前 {shown} 条，共 {total} 条</source>
        <translation>First {shown} of {total}</translation>
    </message>
    <message>
        <source>共 {total} 条</source>
        <translation>{total} cases</translation>
    </message>
    <message>
        <source>模拟器已停止</source>
        <translation>Simulator stopped</translation>
    </message>
    <message>
        <source>模拟器运行中 ×{speed} · 每小时新报 {rate} 件 · 已新报 {reports} 件 · 已处置动作 {actions} 次</source>
        <translation>Simulator running ×{speed} · {rate} new reports an hour · {reports} reported · {actions} actions taken</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>案件(&amp;C)</source>
        <translation>&amp;Case</translation>
    </message>
    <message>
        <source>已新建事件 {code}</source>
        <translation>Created case {code}</translation>
    </message>
    <message>
        <source>来电已合并到原事件，处理过程中留有记录</source>
        <translation>The call was merged into the existing case; the history records it</translation>
    </message>
    <message>
        <source>没有启用的筛选条件</source>
        <translation>No filters are on</translation>
    </message>
    <message>
        <source>下一个新事件</source>
        <translation>Next new case</translation>
    </message>
    <message>
        <source>打开列表中下一个新到的（加粗高亮的）事件（{key}）</source>
        <translation>Open the next newly arrived (bold) case in the list ({key})</translation>
    </message>
    <message>
        <source>回到事件列表</source>
        <translation>Back to the case list</translation>
    </message>
    <message>
        <source>键盘快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>主题</source>
        <translation>Theme</translation>
    </message>
    <message>
        <source>深色</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source>浅色</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>工作集</source>
        <translation>Working sets</translation>
    </message>
    <message>
        <source>切换到“{tab}”</source>
        <translation>Switch to “{tab}”</translation>
    </message>
    <message>
        <source>没有新到的事件</source>
        <translation>No newly arrived cases</translation>
    </message>
    <message>
        <source>无法加载该语言的翻译文件</source>
        <translation>Cannot load the translation for this language</translation>
    </message>
    <message>
        <source>桐庐县社会治理综合指挥中心 — 值班工作台</source>
        <translation>Tonglu County Social Governance Command Centre — Duty Workstation</translation>
    </message>
    <message>
        <source>工作集（Ctrl+1 … Ctrl+9、Ctrl+0 切换）</source>
        <translation>Working sets (switch with Ctrl+1 … Ctrl+9, Ctrl+0)</translation>
    </message>
    <message>
        <source>搜索 编号/标题/地址/反映人 (Ctrl+F)</source>
        <translation>Search code/title/address/reporter (Ctrl+F)</translation>
    </message>
    <message>
        <source>指挥中心</source>
        <translation>Centre</translation>
    </message>
    <message>
        <source>按承办部门筛选（可多选，可搜索）</source>
        <translation>Filter by handling department (several allowed, searchable)</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>按事件分类（大类/小类）筛选</source>
        <translation>Filter by category (main / sub)</translation>
    </message>
    <message>
        <source>分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>按乡镇（街道）或网格筛选</source>
        <translation>Filter by township (subdistrict) or grid</translation>
    </message>
    <message>
        <source>乡镇/网格</source>
        <translation>Township/grid</translation>
    </message>
    <message>
        <source>按紧急程度筛选（可多选）</source>
        <translation>Filter by priority (several allowed)</translation>
    </message>
    <message>
        <source>紧急程度</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>按严重程度筛选（可多选）</source>
        <translation>Filter by severity (several allowed)</translation>
    </message>
    <message>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>按事件来源筛选（可多选）</source>
        <translation>Filter by source (several allowed)</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>按上报时间筛选</source>
        <translation>Filter by reporting time</translation>
    </message>
    <message>
        <source>自定义时间段的开始（含）</source>
        <translation>Start of the custom period (inclusive)</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>自定义时间段的结束（不含）</source>
        <translation>End of the custom period (exclusive)</translation>
    </message>
    <message>
        <source>按自定义时间段筛选（回车）</source>
        <translation>Filter by the custom period (Enter)</translation>
    </message>
    <message>
        <source>应用</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>清除全部筛选条件（Ctrl+Shift+X；在筛选栏中按 Esc）</source>
        <translation>Clear all filters (Ctrl+Shift+X; Esc in the filter bar)</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>案件详情</source>
        <translation>Case details</translation>
    </message>
    <message>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>筛选栏</source>
        <translation>Filter bar</translation>
    </message>
    <message>
        <source>把键盘焦点移到筛选栏</source>
        <translation>Move the keyboard focus to the filter bar</translation>
    </message>
</context>
<context>
    <name>MapImportDialog</name>
    <message>
        <source>导入地图数据</source>
        <translation>Import map data</translation>
    </message>
    <message>
        <source>网格（GeoJSON）</source>
        <translation>Grids (GeoJSON)</translation>
    </message>
    <message>
        <source>行政边界（GeoJSON）</source>
        <translation>Boundaries (GeoJSON)</translation>
    </message>
    <message>
        <source>底图（MBTiles）</source>
        <translation>Basemap (MBTiles)</translation>
    </message>
    <message>
        <source>WGS-84（GPS 坐标）</source>
        <translation>WGS-84 (GPS coordinates)</translation>
    </message>
    <message>
        <source>GCJ-02（高德/腾讯等国内地图坐标）</source>
        <translation>GCJ-02 (AMap/Tencent and other Chinese web maps)</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Contents</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>坐标系</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>检查</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>MBTiles 文件 (*.mbtiles)</source>
        <translation>MBTiles files (*.mbtiles)</translation>
    </message>
    <message>
        <source>GeoJSON 文件 (*.geojson *.json)</source>
        <translation>GeoJSON files (*.geojson *.json)</translation>
    </message>
    <message>
        <source>选择文件</source>
        <translation>Choose a file</translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>发现 {n} 处问题，未导入任何内容：</source>
        <translation>Found {n} problem(s); nothing was imported:</translation>
    </message>
    <message>
        <source>检查通过：新增 {a} 个、更新 {b} 个单位。</source>
        <translation>Check passed: {a} new and {b} updated units.</translation>
    </message>
    <message>
        <source>该 MBTiles 文件不可用：</source>
        <translation>This MBTiles file cannot be used:</translation>
    </message>
    <message>
        <source>MBTiles 文件检查通过。</source>
        <translation>The MBTiles file passed the checks.</translation>
    </message>
    <message>
        <source>已设为底图。</source>
        <translation>Set as the basemap.</translation>
    </message>
    <message>
        <source>导入失败，未写入任何内容：{e}</source>
        <translation>Import failed; nothing was written: {e}</translation>
    </message>
    <message>
        <source>已导入 {n} 个单位。</source>
        <translation>Imported {n} units.</translation>
    </message>
</context>
<context>
    <name>MapLink</name>
    <message>
        <source>地图</source>
        <translation>Map</translation>
    </message>
    <message>
        <source>显示地图</source>
        <translation>Show map</translation>
    </message>
    <message>
        <source>在地图上定位</source>
        <translation>Locate on map</translation>
    </message>
    <message>
        <source>在地图上定位当前事件（Ctrl+L）</source>
        <translation>Show the current case on the map (Ctrl+L)</translation>
    </message>
    <message>
        <source>挂账中</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <source>事件列表只显示地图框选区域内的事件</source>
        <translation>The case list shows only the cases inside the rectangle drawn on the map</translation>
    </message>
    <message>
        <source>该事件没有位置信息</source>
        <translation>This case has no location</translation>
    </message>
</context>
<context>
    <name>MapWidget</name>
    <message>
        <source>图层</source>
        <translation>Layers</translation>
    </message>
    <message>
        <source>底图</source>
        <translation>Basemap</translation>
    </message>
    <message>
        <source>行政边界</source>
        <translation>Boundaries</translation>
    </message>
    <message>
        <source>网格</source>
        <translation>Grids</translation>
    </message>
    <message>
        <source>事件</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <source>网格着色</source>
        <translation>Grid fill</translation>
    </message>
    <message>
        <source>不着色</source>
        <translation>No fill</translation>
    </message>
    <message>
        <source>按在办事件数</source>
        <translation>By open cases</translation>
    </message>
    <message>
        <source>按超期事件数</source>
        <translation>By overdue cases</translation>
    </message>
    <message>
        <source>事件显示</source>
        <translation>Incidents shown as</translation>
    </message>
    <message>
        <source>自动（缩小时聚合）</source>
        <translation>Auto (clusters when zoomed out)</translation>
    </message>
    <message>
        <source>逐个显示</source>
        <translation>Individual points</translation>
    </message>
    <message>
        <source>聚合</source>
        <translation>Clusters</translation>
    </message>
    <message>
        <source>待受理</source>
        <translation>To accept</translation>
    </message>
    <message>
        <source>待派遣</source>
        <translation>To dispatch</translation>
    </message>
    <message>
        <source>待签收</source>
        <translation>To sign for</translation>
    </message>
    <message>
        <source>处置中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>待核查</source>
        <translation>To check</translation>
    </message>
    <message>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>紧急</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <source>特急</source>
        <translation>Critical</translation>
    </message>
    <message>
        <source>已超期（红圈）</source>
        <translation>Overdue (red ring)</translation>
    </message>
    <message>
        <source>全县</source>
        <translation>Whole county</translation>
    </message>
    <message>
        <source>缩放到全县范围</source>
        <translation>Zoom to the whole county</translation>
    </message>
    <message>
        <source>框选区域</source>
        <translation>Select area</translation>
    </message>
    <message>
        <source>在地图上拖出矩形，事件列表只显示框内事件（也可按住 Shift 拖动）</source>
        <translation>Drag a rectangle on the map to list only the cases inside it (or Shift+drag)</translation>
    </message>
    <message>
        <source>清除框选</source>
        <translation>Clear area</translation>
    </message>
    <message>
        <source>导入地图数据…</source>
        <translation>Import map data…</translation>
    </message>
    <message>
        <source>地图显示前 {n} 个事件，共 {total} 个</source>
        <translation>The map shows the first {n} of {total} cases</translation>
    </message>
</context>
<context>
    <name>MuteButton</name>
    <message>
        <source>静音 剩余 {t}</source>
        <translation>Muted, {t} left</translation>
    </message>
    <message>
        <source>提醒声音已暂时关闭；点击恢复</source>
        <translation>Alert sound is off for now; click to turn it back on</translation>
    </message>
    <message>
        <source>提醒声音</source>
        <translation>Alert sound</translation>
    </message>
    <message>
        <source>新的紧急/特急事件、即将超期和已超期时响提示音（{p}）；点击静音 {m} 分钟</source>
        <translation>Sounds an alert for new urgent/critical cases and for cases due soon or overdue ({p}); click to mute for {m} minutes</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>紧急程度</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>所属中心/部门</source>
        <translation>Centre / department</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>上报时间</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Supervised</translation>
    </message>
    <message>
        <source>挂账</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <source>已上报</source>
        <translation>Escalated</translation>
    </message>
    <message>
        <source>挂账中</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <source>未分类</source>
        <translation>Uncategorised</translation>
    </message>
</context>
<context>
    <name>Refusal</name>
    <message>
        <source>该事件属于{owner}，不在您的职责范围</source>
        <translation>This case belongs to {owner}, outside your responsibility</translation>
    </message>
    <message>
        <source>事件标题</source>
        <translation>title</translation>
    </message>
    <message>
        <source>事件描述</source>
        <translation>description</translation>
    </message>
    <message>
        <source>事件来源</source>
        <translation>source</translation>
    </message>
    <message>
        <source>紧急程度</source>
        <translation>priority</translation>
    </message>
    <message>
        <source>严重程度</source>
        <translation>severity</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>phone number</translation>
    </message>
    <message>
        <source>反映人</source>
        <translation>reporter</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>address</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>accept</translation>
    </message>
    <message>
        <source>受理意见</source>
        <translation>acceptance note</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>reject</translation>
    </message>
    <message>
        <source>不予受理的理由</source>
        <translation>reason for rejecting</translation>
    </message>
    <message>
        <source>派遣</source>
        <translation>dispatch</translation>
    </message>
    <message>
        <source>派遣意见</source>
        <translation>dispatch note</translation>
    </message>
    <message>
        <source>签收</source>
        <translation>sign for it</translation>
    </message>
    <message>
        <source>签收意见</source>
        <translation>sign-for note</translation>
    </message>
    <message>
        <source>反馈处理结果</source>
        <translation>report the result</translation>
    </message>
    <message>
        <source>处理结果</source>
        <translation>result</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>return it</translation>
    </message>
    <message>
        <source>退回理由</source>
        <translation>reason for returning</translation>
    </message>
    <message>
        <source>改派</source>
        <translation>reassign</translation>
    </message>
    <message>
        <source>改派理由</source>
        <translation>reason for reassigning</translation>
    </message>
    <message>
        <source>上报上级中心</source>
        <translation>escalate to the parent centre</translation>
    </message>
    <message>
        <source>上报理由</source>
        <translation>reason for escalating</translation>
    </message>
    <message>
        <source>交办</source>
        <translation>hand down</translation>
    </message>
    <message>
        <source>交办意见</source>
        <translation>instructions</translation>
    </message>
    <message>
        <source>催办</source>
        <translation>urge</translation>
    </message>
    <message>
        <source>催办意见</source>
        <translation>urging note</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>supervise</translation>
    </message>
    <message>
        <source>督办意见</source>
        <translation>supervision note</translation>
    </message>
    <message>
        <source>申请延期</source>
        <translation>request an extension</translation>
    </message>
    <message>
        <source>延期理由</source>
        <translation>reason for the extension</translation>
    </message>
    <message>
        <source>批准延期</source>
        <translation>approve the extension</translation>
    </message>
    <message>
        <source>审批意见</source>
        <translation>approval note</translation>
    </message>
    <message>
        <source>驳回延期</source>
        <translation>deny the extension</translation>
    </message>
    <message>
        <source>驳回理由</source>
        <translation>reason for denying</translation>
    </message>
    <message>
        <source>挂账</source>
        <translation>suspend</translation>
    </message>
    <message>
        <source>挂账理由</source>
        <translation>reason for suspending</translation>
    </message>
    <message>
        <source>解除挂账说明</source>
        <translation>resume note</translation>
    </message>
    <message>
        <source>核查</source>
        <translation>check</translation>
    </message>
    <message>
        <source>核查意见</source>
        <translation>check note</translation>
    </message>
    <message>
        <source>返工</source>
        <translation>send back for rework</translation>
    </message>
    <message>
        <source>返工理由</source>
        <translation>reason for rework</translation>
    </message>
    <message>
        <source>结案</source>
        <translation>close</translation>
    </message>
    <message>
        <source>结案意见</source>
        <translation>closing note</translation>
    </message>
    <message>
        <source>评价</source>
        <translation>evaluate</translation>
    </message>
    <message>
        <source>评价结果</source>
        <translation>evaluation</translation>
    </message>
    <message>
        <source>回访意见</source>
        <translation>follow-up note</translation>
    </message>
    <message>
        <source>归档</source>
        <translation>archive</translation>
    </message>
    <message>
        <source>重新打开</source>
        <translation>reopen</translation>
    </message>
    <message>
        <source>重新打开的理由</source>
        <translation>reason for reopening</translation>
    </message>
    <message>
        <source>备注内容</source>
        <translation>comment</translation>
    </message>
    <message>
        <source>合并</source>
        <translation>merge</translation>
    </message>
    <message>
        <source>合并说明</source>
        <translation>merge note</translation>
    </message>
    <message>
        <source>查看理由</source>
        <translation>reason for viewing</translation>
    </message>
    <message>
        <source>未实现的操作：{action}</source>
        <translation>Action not implemented: {action}</translation>
    </message>
    <message>
        <source>{role}无权执行“{action}”</source>
        <translation>A {role} may not “{action}”</translation>
    </message>
    <message>
        <source>{label}应为文字</source>
        <translation>The {label} must be text</translation>
    </message>
    <message>
        <source>请填写{label}</source>
        <translation>Please fill in the {label}</translation>
    </message>
    <message>
        <source>{label}过长（最多 {limit} 字，实际 {actual} 字）</source>
        <translation>The {label} is too long (at most {limit} characters, got {actual})</translation>
    </message>
    <message>
        <source>事件当前状态为“{status}”，只有“{allowed}”的事件才能{action}</source>
        <translation>To {action}, a case must be “{allowed}”; this one is “{status}”</translation>
    </message>
    <message>
        <source>请选择处置部门</source>
        <translation>Please choose the handling department</translation>
    </message>
    <message>
        <source>处置部门不存在：{code}</source>
        <translation>No such handling department: {code}</translation>
    </message>
    <message>
        <source>“{department}”不属于{owner}，不能派遣（可上报或交办）</source>
        <translation>“{department}” is not part of {owner} and cannot be dispatched to (escalate or hand down instead)</translation>
    </message>
    <message>
        <source>事件分类不存在或不是小类：{category}</source>
        <translation>No such category, or not a subcategory: {category}</translation>
    </message>
    <message>
        <source>联系电话格式不正确：{phone}（应为 11 位手机号或带区号的固定电话）</source>
        <translation>Invalid phone number: {phone} (expected an 11-digit mobile number or a landline with area code)</translation>
    </message>
    <message>
        <source>位置坐标不完整：经度和纬度需同时提供</source>
        <translation>Incomplete location: give both longitude and latitude</translation>
    </message>
    <message>
        <source>受理中心不存在：{centre}</source>
        <translation>No such centre: {centre}</translation>
    </message>
    <message>
        <source>只能向本中心或下级中心上报事件</source>
        <translation>Cases can only be reported to your own centre or one below it</translation>
    </message>
    <message>
        <source>未分配事件编号</source>
        <translation>No case number was assigned</translation>
    </message>
    <message>
        <source>请选择事件分类（小类）</source>
        <translation>Please choose a category (subcategory)</translation>
    </message>
    <message>
        <source>事件已挂账，解除挂账后才能反馈</source>
        <translation>The case is suspended; resume it before reporting the result</translation>
    </message>
    <message>
        <source>改派的部门与当前处置部门相同，请选择其他部门</source>
        <translation>That is the current handling department; choose another one</translation>
    </message>
    <message>
        <source>本中心没有上级指挥中心，无法上报</source>
        <translation>This centre has no parent centre to escalate to</translation>
    </message>
    <message>
        <source>本中心没有下级中心，无法交办</source>
        <translation>This centre has no centres below it to hand down to</translation>
    </message>
    <message>
        <source>交办对象必须是本中心的下级中心：{target}</source>
        <translation>Cases can only be handed down to a centre below this one: {target}</translation>
    </message>
    <message>
        <source>该事件已在督办中</source>
        <translation>The case is already supervised</translation>
    </message>
    <message>
        <source>已有一项延期申请在审批中</source>
        <translation>An extension request is already awaiting approval</translation>
    </message>
    <message>
        <source>延期时长应在 1 分钟到 30 个工作日之间，实际 {minutes} 分钟</source>
        <translation>An extension must be between 1 minute and 30 working days; got {minutes} minutes</translation>
    </message>
    <message>
        <source>没有待审批的延期申请</source>
        <translation>There is no extension request awaiting approval</translation>
    </message>
    <message>
        <source>事件已处于挂账状态</source>
        <translation>The case is already suspended</translation>
    </message>
    <message>
        <source>事件未挂账</source>
        <translation>The case is not suspended</translation>
    </message>
    <message>
        <source>该事件已核查通过，请结案</source>
        <translation>The case has passed its check; close it</translation>
    </message>
    <message>
        <source>事件尚未核查通过，不能结案</source>
        <translation>The case has not passed its check and cannot be closed</translation>
    </message>
    <message>
        <source>该事件已评价（{satisfaction}）</source>
        <translation>The case has already been evaluated ({satisfaction})</translation>
    </message>
    <message>
        <source>请选择评价结果：满意、基本满意或不满意</source>
        <translation>Please choose an evaluation: satisfied, mostly satisfied or dissatisfied</translation>
    </message>
    <message>
        <source>归档说明</source>
        <translation>archiving note</translation>
    </message>
    <message>
        <source>请选择要合并到的事件</source>
        <translation>Please choose the case to merge into</translation>
    </message>
    <message>
        <source>不能把事件合并到它自己</source>
        <translation>A case cannot be merged into itself</translation>
    </message>
    <message>
        <source>找不到要合并到的事件</source>
        <translation>The case to merge into was not found</translation>
    </message>
    <message>
        <source>目标事件 {code} 状态为“{status}”，不能作为合并目标</source>
        <translation>Case {code} is “{status}” and cannot be merged into</translation>
    </message>
    <message>
        <source>只能查看反映人姓名和联系电话</source>
        <translation>Only the reporter&apos;s name and phone number can be revealed</translation>
    </message>
    <message>
        <source>未知的操作类型：{type}</source>
        <translation>Unknown action: {type}</translation>
    </message>
    <message>
        <source>该事件未派遣给您所在的部门</source>
        <translation>This case was not dispatched to your department</translation>
    </message>
    <message>
        <source>{label}取值无效：{value}，可选：{allowed}</source>
        <translation>Invalid {label}: {value}; allowed: {allowed}</translation>
    </message>
    <message>
        <source>位置不在中国境内：{lon}, {lat}</source>
        <translation>The location is outside China: {lon}, {lat}</translation>
    </message>
    <message>
        <source>网格不存在：{grid}</source>
        <translation>No such grid: {grid}</translation>
    </message>
    <message>
        <source>请填写延期时长（工作分钟数）</source>
        <translation>Please give the extension in working minutes</translation>
    </message>
    <message>
        <source>该事件已存在，不能重复上报</source>
        <translation>This case already exists and cannot be reported again</translation>
    </message>
    <message>
        <source>找不到该事件</source>
        <translation>Case not found</translation>
    </message>
    <message>
        <source>事件已归档，不能再操作</source>
        <translation>The case is archived; nothing more can be done with it</translation>
    </message>
    <message>
        <source>事件已挂账，请先解除挂账再{action}</source>
        <translation>The case is suspended; resume it before you {action}</translation>
    </message>
    <message>
        <source>事件已被他人更新（当前版本 {current}，操作基于版本 {base}），请刷新后重试</source>
        <translation>Someone else updated the case (now version {current}, your action was based on version {base}); refresh and try again</translation>
    </message>
    <message>
        <source>位置坐标应为数字</source>
        <translation>Coordinates must be numbers</translation>
    </message>
    <message>
        <source>事件已被他人更新，请刷新后重试</source>
        <translation>Someone else updated the case; refresh and try again</translation>
    </message>
    <message>
        <source>保存失败，未做任何更改：{error}</source>
        <translation>Could not save; nothing was changed: {error}</translation>
    </message>
    <message>
        <source>该操作已执行过（重复提交）</source>
        <translation>This action was already carried out (submitted twice)</translation>
    </message>
    <message>
        <source>{label}应为编码文字：{value}</source>
        <translation>The {label} must be a code (text): {value}</translation>
    </message>
    <message>
        <source>事件分类</source>
        <translation>category</translation>
    </message>
    <message>
        <source>网格</source>
        <translation>grid</translation>
    </message>
    <message>
        <source>受理中心</source>
        <translation>centre</translation>
    </message>
    <message>
        <source>交办对象</source>
        <translation>centre to hand down to</translation>
    </message>
    <message>
        <source>合并目标</source>
        <translation>case to merge into</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>ServerLoginDialog</name>
    <message>
        <source>登录 — CommandCenter 值班工作台（服务器）</source>
        <translation>Log in — CommandCenter duty workstation (server)</translation>
    </message>
    <message>
        <source>服务器：{url}</source>
        <translation>Server: {url}</translation>
    </message>
    <message>
        <source>正在连接服务器 {url} …</source>
        <translation>Connecting to the server {url} …</translation>
    </message>
    <message>
        <source>登录时出错，请稍后再试或联系管理员</source>
        <translation>Login failed with an error; try again later or contact the administrator</translation>
    </message>
    <message>
        <source>无法连接服务器。可以离线登录：使用本机保存的上次在线登录凭据（有效至 {until}）；离线期间的操作保存在本机，服务器恢复后自动同步。</source>
        <translation>Cannot reach the server. You can log in offline with the credentials saved at your last online login on this workstation (valid until {until}); your work is kept on this workstation and synced automatically when the server is back.</translation>
    </message>
    <message>
        <source>离线登录</source>
        <translation>Log in offline</translation>
    </message>
    <message>
        <source>离线登录 — CommandCenter 值班工作台</source>
        <translation>Offline login — CommandCenter duty workstation</translation>
    </message>
    <message>
        <source>登录失败次数过多，服务器已暂时锁定该账号，请稍后再试</source>
        <translation>Too many failed logins: the server has locked this account for a while. Try again later</translation>
    </message>
    <message>
        <source>无法连接服务器，且离线登录已过期：距上次在线登录已超过 {h} 小时。请等服务器恢复后在线登录。</source>
        <translation>Cannot reach the server, and offline login has expired: your last online login was more than {h} hours ago. Please log in online once the server is back.</translation>
    </message>
    <message>
        <source>无法连接服务器，且该用户在本机没有在线登录记录，不能离线登录。请检查网络或服务器设置。</source>
        <translation>Cannot reach the server, and this user has never logged in online on this workstation, so an offline login is not possible. Check the network or the server settings.</translation>
    </message>
    <message>
        <source>无法连接服务器 {url}。本机还没有数据，首次使用必须连上服务器下载。请检查网络或服务器设置。</source>
        <translation>Cannot reach the server {url}. This workstation holds no data yet: the first start must download it from the server. Check the network or the server settings.</translation>
    </message>
    <message>
        <source>服务器出错，暂时无法登录，请稍后再试</source>
        <translation>The server reported an error; login is not possible right now. Try again later</translation>
    </message>
</context>
<context>
    <name>SyncApp</name>
    <message>
        <source>离线登录：服务器暂时无法连接，操作先保存在本机，恢复后自动同步</source>
        <translation>Offline login: the server cannot be reached; your work is saved on this workstation and synced when it is back</translation>
    </message>
    <message>
        <source>同步(&amp;S)</source>
        <translation>&amp;Sync</translation>
    </message>
    <message>
        <source>服务器设置…</source>
        <translation>Server settings…</translation>
    </message>
    <message>
        <source>同步问题</source>
        <translation>Sync problems</translation>
    </message>
</context>
<context>
    <name>SyncProblemsDock</name>
    <message>
        <source>同步问题</source>
        <translation>Sync problems</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>事件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>事件标题</source>
        <translation>Case title</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>原因代码</source>
        <translation>Reason code</translation>
    </message>
    <message>
        <source>服务器给出的原因</source>
        <translation>Server&apos;s reason</translation>
    </message>
    <message>
        <source>服务器拒绝了以下操作，本机已撤销它们。请打开事件重新处理，处理后点“已处理”移除。</source>
        <translation>The server rejected these actions and they have been undone on this workstation. Open the case and act again, then click “Done” to remove the entry.</translation>
    </message>
    <message>
        <source>打开事件</source>
        <translation>Open case</translation>
    </message>
    <message>
        <source>已处理，移除</source>
        <translation>Done, remove</translation>
    </message>
    <message>
        <source>{who} 的“{op}”被服务器拒绝：{reason}</source>
        <translation>{who}&apos;s “{op}” was rejected by the server: {reason}</translation>
    </message>
</context>
<context>
    <name>SyncSession</name>
    <message>
        <source>首次同步</source>
        <translation>First synchronisation</translation>
    </message>
    <message>
        <source>正在从服务器 {url} 下载本中心的数据，请稍候…</source>
        <translation>Downloading this centre&apos;s data from the server {url}, please wait…</translation>
    </message>
    <message>
        <source>首次同步失败</source>
        <translation>First synchronisation failed</translation>
    </message>
    <message>
        <source>无法从服务器 {url} 下载数据，本机还不能工作。请检查网络或服务器设置后重新启动。</source>
        <translation>Could not download the data from the server {url}; this workstation cannot work yet. Check the network or the server settings and start again.</translation>
    </message>
</context>
<context>
    <name>SyncSettingsDialog</name>
    <message>
        <source>服务器设置</source>
        <translation>Server settings</translation>
    </message>
    <message>
        <source>例如 https://cc.example.gov.cn:8765（留空：单机模式）</source>
        <translation>e.g. https://cc.example.gov.cn:8765 (empty: standalone)</translation>
    </message>
    <message>
        <source>验证服务器的 TLS 证书（强烈建议保持开启）</source>
        <translation>Verify the server&apos;s TLS certificate (strongly recommended)</translation>
    </message>
    <message>
        <source>留空：使用系统的根证书</source>
        <translation>Empty: use the system&apos;s root certificates</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source> 小时</source>
        <translation> hours</translation>
    </message>
    <message>
        <source>测试连接</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>更改在下次启动工作台时生效。</source>
        <translation>Changes take effect the next time the workstation starts.</translation>
    </message>
    <message>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>CA 证书文件</source>
        <translation>CA bundle file</translation>
    </message>
    <message>
        <source>离线登录有效期</source>
        <translation>Offline login valid for</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>服务器地址无效：应为 http:// 或 https:// 开头的完整地址，例如 https://cc.example.gov.cn:8765</source>
        <translation>Invalid server address: enter a full address starting with http:// or https://, e.g. https://cc.example.gov.cn:8765</translation>
    </message>
    <message>
        <source>找不到 CA 证书文件：{path}</source>
        <translation>CA bundle file not found: {path}</translation>
    </message>
    <message>
        <source>无法保存设置：{error}</source>
        <translation>Cannot save the settings: {error}</translation>
    </message>
    <message>
        <source>选择 CA 证书文件</source>
        <translation>Choose a CA bundle file</translation>
    </message>
    <message>
        <source>证书 (*.pem *.crt *.cer);;所有文件 (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <source>警告：关闭证书验证后，无法确认连接的是真正的服务器，仅限测试环境使用。</source>
        <translation>Warning: without certificate verification there is no way to know the server is the real one. Use only in test set-ups.</translation>
    </message>
    <message>
        <source>未填写服务器地址：工作台将以单机模式运行。</source>
        <translation>No server address: the workstation will run standalone.</translation>
    </message>
    <message>
        <source>正在连接 {url} …</source>
        <translation>Connecting to {url} …</translation>
    </message>
    <message>
        <source>连接成功：服务器正常应答。</source>
        <translation>Connected: the server answers normally.</translation>
    </message>
    <message>
        <source>无法连接：该地址没有服务器应答（地址、端口或网络有误，或服务器未启动）。</source>
        <translation>Cannot connect: no server answers at this address (wrong address, port or network, or the server is not running).</translation>
    </message>
    <message>
        <source>连接超时：服务器没有及时应答，请检查网络。</source>
        <translation>Timed out: the server did not answer in time. Check the network.</translation>
    </message>
    <message>
        <source>证书验证失败：服务器的 TLS 证书不受信任，请指定正确的 CA 证书文件。</source>
        <translation>Certificate check failed: the server&apos;s TLS certificate is not trusted. Choose the right CA bundle file.</translation>
    </message>
    <message>
        <source>服务器应答出错，请联系管理员。</source>
        <translation>The server answered with an error. Contact the administrator.</translation>
    </message>
    <message>
        <source>该地址上的不是 CommandCenter 服务器。</source>
        <translation>This address is not a CommandCenter server.</translation>
    </message>
</context>
<context>
    <name>SyncStatusPresenter</name>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>连接不稳定</source>
        <translation>Degraded</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>服务器：{url}</source>
        <translation>Server: {url}</translation>
    </message>
    <message>
        <source>服务器无法连接：所有操作照常保存在本机，恢复连接后自动同步。</source>
        <translation>The server cannot be reached: all actions are saved on this workstation as usual and synced automatically when the connection is back.</translation>
    </message>
    <message>
        <source>服务器应答异常或过慢：正在重试。</source>
        <translation>The server answers with errors or too slowly: retrying.</translation>
    </message>
    <message>
        <source>错误：{error}</source>
        <translation>Error: {error}</translation>
    </message>
    <message>
        <source>警告：已关闭 TLS 证书验证</source>
        <translation>Warning: TLS certificate verification is turned off</translation>
    </message>
    <message>
        <source>待同步 {n}</source>
        <translation>Pending {n}</translation>
    </message>
    <message>
        <source>本机已保存、尚未得到服务器确认的操作数</source>
        <translation>Actions saved on this workstation and not yet confirmed by the server</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>not yet</translation>
    </message>
    <message>
        <source>上次同步 {t}</source>
        <translation>Last sync {t}</translation>
    </message>
    <message>
        <source>尚未与服务器成功同步</source>
        <translation>No successful sync with the server yet</translation>
    </message>
    <message>
        <source>同步问题 {n}</source>
        <translation>Sync problems {n}</translation>
    </message>
    <message>
        <source>服务器拒绝的操作：点击查看</source>
        <translation>Actions the server rejected: click to see them</translation>
    </message>
    <message>
        <source>服务器拒绝了 {n} 个操作，详见“同步问题”</source>
        <translation>The server rejected {n} action(s): see “Sync problems”</translation>
    </message>
</context>
<context>
    <name>TimeFilter</name>
    <message>
        <source>时间段无效：开始时间（{a}）必须早于结束时间（{b}），筛选未改变</source>
        <translation>Invalid period: the start ({a}) must be earlier than the end ({b}); the filter was not changed</translation>
    </message>
    <message>
        <source>上报时间：{a} 至 {b}</source>
        <translation>Reported: {a} to {b}</translation>
    </message>
    <message>
        <source>上报时间：{preset}（{a} 起）</source>
        <translation>Reported: {preset} (since {a})</translation>
    </message>
    <message>
        <source>按上报时间筛选</source>
        <translation>Filter by reporting time</translation>
    </message>
    <message>
        <source>全部时间</source>
        <translation>Any time</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>近24小时</source>
        <translation>Last 24 hours</translation>
    </message>
    <message>
        <source>近7天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>近30天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>自定义…</source>
        <translation>Custom…</translation>
    </message>
</context>
<context>
    <name>Wall</name>
    <message>
        <source>在办事件</source>
        <translation>Open cases</translation>
    </message>
    <message>
        <source>24小时新增</source>
        <translation>New in 24 h</translation>
    </message>
    <message>
        <source>今日办结</source>
        <translation>Closed today</translation>
    </message>
    <message>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>即将超期</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>近7天结案率</source>
        <translation>Closure rate (7 days)</translation>
    </message>
    <message>
        <source>近7天按期处置率</source>
        <translation>On-time handling (7 days)</translation>
    </message>
    <message>
        <source>近7天镇村解决率</source>
        <translation>Resolved locally (7 days)</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>暂无</source>
        <translation>None</translation>
    </message>
    <message>
        <source>（按系统用户角色生成，尚无排班表）</source>
        <translation>(from the users&apos; roles: there is no duty roster table yet)</translation>
    </message>
    <message>
        <source>地图（接入中）</source>
        <translation>Map (coming)</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>在办</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>按期处置率</source>
        <translation>On-time handling rate</translation>
    </message>
    <message>
        <source>督办事件</source>
        <translation>Case on the wall</translation>
    </message>
    <message>
        <source>处置过程</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>社会治理综合指挥中心</source>
        <translation>Social Governance Command Centre</translation>
    </message>
    <message>
        <source>部门在办排名</source>
        <translation>Departments by open cases</translation>
    </message>
    <message>
        <source>近24小时新增与办结</source>
        <translation>New vs closed, last 24 hours</translation>
    </message>
    <message>
        <source>24小时事件来源</source>
        <translation>Sources, last 24 hours</translation>
    </message>
    <message>
        <source>超期事件</source>
        <translation>Overdue cases</translation>
    </message>
    <message>
        <source>重大紧急事件</source>
        <translation>Urgent and critical cases</translation>
    </message>
    <message>
        <source>今日值班</source>
        <translation>On duty today</translation>
    </message>
    <message>
        <source>事件分布</source>
        <translation>Case map</translation>
    </message>
    <message>
        <source>部门办理情况（超期优先）</source>
        <translation>Departments (most overdue first)</translation>
    </message>
    <message>
        <source>乡镇在办排名</source>
        <translation>Townships by open cases</translation>
    </message>
    <message>
        <source>综合态势</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>部门排名</source>
        <translation>Department ranking</translation>
    </message>
    <message>
        <source>轮播已暂停</source>
        <translation>Rotation paused</translation>
    </message>
    <message>
        <source>事件不存在</source>
        <translation>No such case</translation>
    </message>
    <message>
        <source>办理时限 {t}</source>
        <translation>Deadline {t}</translation>
    </message>
    <message>
        <source>地图上有位置的在办事件 {n} 件 · 网格按在办数着色</source>
        <translation>{n} open cases with a location on the map · grids coloured by open cases</translation>
    </message>
</context>
<context>
    <name>WallControl</name>
    <message>
        <source>大屏(&amp;W)</source>
        <translation>&amp;Wall</translation>
    </message>
    <message>
        <source>打开大屏窗口</source>
        <translation>Open the wall window</translation>
    </message>
    <message>
        <source>选中事件上大屏</source>
        <translation>Put the selected case on the wall</translation>
    </message>
    <message>
        <source>取消上屏</source>
        <translation>Release the case from the wall</translation>
    </message>
    <message>
        <source>暂停轮播</source>
        <translation>Pause page rotation</translation>
    </message>
    <message>
        <source>大屏页面</source>
        <translation>Wall page</translation>
    </message>
    <message>
        <source>综合态势</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>事件分布</source>
        <translation>Case map</translation>
    </message>
    <message>
        <source>部门排名</source>
        <translation>Department ranking</translation>
    </message>
</context>
<context>
    <name>Workloads</name>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>近7天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>近30天</source>
        <translation>Last 30 days</translation>
    </message>
</context>
<context>
    <name>WorkloadsDock</name>
    <message>
        <source>工作量与考核</source>
        <translation>Workloads and KPIs</translation>
    </message>
    <message>
        <source>部门工作量</source>
        <translation>Department workloads</translation>
    </message>
    <message>
        <source>考核指标</source>
        <translation>KPIs</translation>
    </message>
</context>
<context>
    <name>WorkloadsPanel</name>
    <message>
        <source>统计维度</source>
        <translation>Group by</translation>
    </message>
    <message>
        <source>时间范围</source>
        <translation>Time range</translation>
    </message>
    <message>
        <source>趋势分组</source>
        <translation>Trend by</translation>
    </message>
    <message>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <source>按乡镇</source>
        <translation>By township</translation>
    </message>
    <message>
        <source>按类别</source>
        <translation>By category</translation>
    </message>
    <message>
        <source>新增与办结</source>
        <translation>New vs closed</translation>
    </message>
    <message>
        <source>按来源</source>
        <translation>By source</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>在办</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>处置中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>即将超期</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>今日办结</source>
        <translation>Closed today</translation>
    </message>
    <message>
        <source>平均处置时长(小时)</source>
        <translation>Avg. handling time (h)</translation>
    </message>
    <message>
        <source>按期处置率</source>
        <translation>On-time handling rate</translation>
    </message>
    <message>
        <source>回退</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>平均处置时长 = Σ(反馈时间 − 派遣时间) / 处置反馈数，按所选时间范围内立案的事件</source>
        <translation>Average handling time = Σ(feedback time − dispatch time) / cases fed back, over cases registered in the chosen time range</translation>
    </message>
    <message>
        <source>按期处置率 = 按期处置数 / 应处置数（已反馈或处置时限已过），按所选时间范围内立案的事件</source>
        <translation>On-time handling rate = handled on time / due for handling (fed back or past the handling deadline), over cases registered in the chosen time range</translation>
    </message>
    <message>
        <source>所选时间范围内立案、被部门退回过的事件数</source>
        <translation>Cases registered in the chosen time range that a department returned</translation>
    </message>
    <message>
        <source>在办（蓝）与超期（红），前 {n} 名</source>
        <translation>Open (blue) and overdue (red), top {n}</translation>
    </message>
    <message>
        <source>近24小时（按小时）</source>
        <translation>Last 24 hours (by hour)</translation>
    </message>
    <message>
        <source>近30天（按天）</source>
        <translation>Last 30 days (by day)</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Closed</translation>
    </message>
</context>
</TS>
