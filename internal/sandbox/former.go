package sandbox

// FormerStaff is a staff member who left: get-users lists them only with
// deleted: 1, and some of the seed customer's follow-ups are theirs.
var FormerStaff = Staff{QwUserID: "sunqiang", Name: "孙强", SalesID: 396800000999999}

// addFormerStaff records FormerStaff and makes every tenth follow-up of the
// seed customer theirs (no generator is drawn from: nothing else moves).
func (d *Dataset) addFormerStaff() {
	d.Former = []Staff{FormerStaff}
	for i := range d.FollowUps[SeedCustomerID] {
		if f := &d.FollowUps[SeedCustomerID][i]; i%10 == 3 {
			f.Operator = Operator{QwUserID: FormerStaff.QwUserID, Name: FormerStaff.Name}
		}
	}
}
