// Interop checks of the group counts the official SDK returns from the calls that change a
// group's members, imported by run.mjs. The SDK sets a group's memberCount from a tip's MemberNum
// and moves it by the call's own result when the reply comes (addGroupMember adds the users
// added, deleteGroupMember takes one away), so the operator's reply has to reach it before the
// tip of the same change, or the change is counted twice. run.mjs hands over its helpers in ctx:
// {check, mk, port, TIM, eq, rest}; each check counts in its one summary line.

export async function groupCountChecks({ check, mk, port, TIM, eq, rest }) {
  await check('addGroupMember, setGroupMemberRole, deleteGroupMember, quitGroup: the group each call returns counts its members once (the reply before the tip), as getGroupProfile does', async () => {
    eq((await rest(port, 'im_open_login_svc/multiaccount_import', { Accounts: ['gc_one', 'gc_two'] })).ErrorCode, 0,
      'multiaccount_import');
    const owner = mk('gc_owner', port);
    const member = mk('gc_member', port);
    await owner.login();
    await member.login();
    const created = await owner.tim.createGroup({ type: TIM.TYPES.GRP_PUBLIC, name: 'counted',
      memberList: [{ userID: 'gc_member' }] });
    const group = created.data.group.groupID;
    const profileCount = async () => (await owner.tim.getGroupProfile({ groupID: group })).data.group.memberCount;
    eq(await profileCount(), 2, 'getGroupProfile after createGroup');

    const added = await owner.tim.addGroupMember({ groupID: group, userIDList: ['gc_one', 'gc_two'] });
    eq(added.data.successUserIDList.join(','), 'gc_one,gc_two', 'successUserIDList');
    eq(added.data.group.memberCount, 4, 'addGroupMember\'s group.memberCount');
    eq(await profileCount(), 4, 'getGroupProfile after addGroupMember');

    const role = await owner.tim.setGroupMemberRole({ groupID: group, userID: 'gc_one', role: TIM.TYPES.GRP_MBR_ROLE_ADMIN });
    eq(role.data.group.memberCount, 4, 'setGroupMemberRole\'s group.memberCount');

    const deleted = await owner.tim.deleteGroupMember({ groupID: group, userIDList: ['gc_two'] });
    eq(deleted.data.group.memberCount, 3, 'deleteGroupMember\'s group.memberCount');
    eq(await profileCount(), 3, 'getGroupProfile after deleteGroupMember');

    // The SDK's quitGroup refuses a group it does not know yet, and it learns of this one only
    // after the notice of the creation, from a getGroupProfile of its own.
    await member.waitEvent(TIM.EVENT.GROUP_LIST_UPDATED, (list) => Array.isArray(list) && list.some((g) => g.groupID === group));
    await member.tim.quitGroup(group);
    const quitTip = (m) => m.type === TIM.TYPES.MSG_GRP_TIP && m.to === group &&
      m.payload.operationType === TIM.TYPES.GRP_TIP_MBR_QUIT;
    await owner.waitMessage(quitTip);
    eq(await profileCount(), 2, 'getGroupProfile after quitGroup');
    await Promise.all([owner.close(), member.close()]);
  });
}
