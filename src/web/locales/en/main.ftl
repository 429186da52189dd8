## Every page
convene = Convene
skip-to-main = Skip to main content
footer-licence = Convene is free software under the GNU Affero General Public License.
footer-api = The API and its reference
title-suffix = Convene

## Home
home-title = Voluntary sector forums of the probation regions
home-lead = Each of the 12 probation regions of England and Wales has a forum of voluntary sector organisations. Here is what each was promised in its region's Reducing Reoffending Plan, what work is behind those promises, and what its forum decided.
home-regions = Regions
home-region = Region
home-nation = Nation
home-forum = Forum
home-next-meeting = Next meeting
home-no-forum = No forum yet
home-no-meeting = None scheduled
nation-england = England
nation-wales = Wales

## Errors
not-found-title = Page not found
not-found-body = If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.
not-found-home = Go to the list of regions
problem-title = Sorry, there is a problem
problem-body = Convene could not show this page. Try again later.

## Region
region-forum = Forum
region-no-forum = This region has no forum yet.
region-plan = Reducing Reoffending Plan
region-no-plan = This region has not published a plan yet.
region-plan-period = Period
region-commitments = Commitments
region-commitments-caption = The plan's commitments, with the work behind them
region-reference = Reference
region-theme = Theme
region-status = Status
region-actions = Actions
region-overdue = Overdue
region-due = Due
region-themes = Themes
region-themes-caption = Commitments and actions by theme
region-without-actions = Commitments without actions
region-responsiveness = Answers to raised issues
region-issues-raised = Issues raised
region-answered-in-time = Answered by their due date
region-open-past-due = Unanswered and overdue
region-voice-window = Taking part is counted over the { $months } months from { $from } to { $to }.
region-funding = Funding awarded
region-awards = Awards
region-awarded-value = Value awarded
region-small-share = Share to small and micro organisations
region-outside-share = Share to organisations outside the probation supply chain
region-median-days = Median days to a first answer
region-plan-by-theme = The plan's commitments, theme by theme
region-report = Accountability report
region-report-lead = What the plan promised and the work behind it, how the Regional Probation Director's team answered the forum, how the forum's members took part, and where the money went. Each chart's figures are also given as a table.
region-voice = The forum's voice
region-consultations-registered = Consultations the forum took up
region-consultations-responded = Responses submitted
region-consultations-in-time = Responses submitted by the closing date
region-member-organisations = Member organisations
region-taking-part = Member organisations that took part in the last 12 months
region-participation-share = Share of members that took part

## Charts
chart-as-table = The figures as a table
chart-total = Total
chart-status-title = Commitments by theme and status
chart-status-description = For each theme, the number of the plan's commitments in each status, in the order of the key below the bars: not started (outlined), in progress, partly achieved, achieved, not achieved and withdrawn. The total follows each bar.
chart-work-title = Commitments with and without actions behind them
chart-work-description = For each theme, the commitments that have at least one action linked to them (filled) and those that have none (outlined). The total follows each bar.
chart-with-actions = With actions
chart-without-actions = Without actions
chart-answers-title = How the raised issues were answered
chart-answers-description = The issues the forum raised with the Regional Probation Director's team: answered by their due date, answered after it, unanswered and past their due date, and unanswered but not yet due.
chart-issues = Issues
chart-answered-in-time = Answered by the due date
chart-answered-late = Answered after the due date
chart-unanswered-overdue = Unanswered, past the due date
chart-unanswered-not-due = Unanswered, not yet due
chart-days-title = Days to a first answer
chart-days-description = The answered issues by how many days the first answer took.
chart-days-week = Within 7 days
chart-days-fortnight = 8 to 14 days
chart-days-four-weeks = 15 to 28 days
chart-days-longer = More than 28 days
chart-mechanism-title = Funding awarded by mechanism
chart-mechanism-description = The value of the awards made under the region's funding opportunities, by how they were commissioned, with the number of awards.
chart-awards = Awards
chart-value = Value
chart-awards-count = { $count ->
    [one] 1 award
   *[other] { $count } awards
}
chart-shares-title = Who the money reached
chart-shares-description = The share of the value awarded that went to small and micro organisations, to organisations outside the probation supply chain, and to organisations led by and for each group, out of 100%.
chart-share = Share
chart-led-by-racially-minoritised-people = Led by and for racially minoritised people
chart-led-by-women = Led by and for women
chart-led-by-lived-experience = Led by and for people with lived experience
chart-led-by-young-people = Led by and for young people
chart-led-by-lgbtq = Led by and for LGBTQ+ people
chart-led-by-disabled-people = Led by and for disabled people

## The plan, theme by theme
plan-title = Commitments by theme
plan-lead = Each theme of the region's current plan, with its commitments, their status and the actions behind them. A commitment with no action linked to it is marked.
plan-theme-none = No commitments under this theme
plan-no-actions = None
plan-theme-commitments = { $count ->
    [one] 1 commitment,
   *[other] { $count } commitments,
}
plan-theme-with-actions = { $count ->
    [one] 1 with actions behind it.
   *[other] { $count } with actions behind them.
}
not-recorded = –

## Vocabularies
theme-women = Women
theme-accommodation = Accommodation
theme-race-equality = Race equality
theme-families = Families
theme-young-adults = Young adults
theme-older-people = Older people
theme-arts-creativity = Arts and creativity
theme-lived-experience = Lived experience
theme-voluntary-sector-engagement = Voluntary sector engagement
theme-commissioning = Commissioning
theme-employment-education = Employment and education
theme-health-substance-misuse = Health and substance misuse
theme-finance-debt = Finance and debt
commitment-status-not-started = Not started
commitment-status-in-progress = In progress
commitment-status-achieved = Achieved
commitment-status-partly-achieved = Partly achieved
commitment-status-not-achieved = Not achieved
commitment-status-withdrawn = Withdrawn

## Forum
forum-members = Members
forum-member-organisations = Member organisations
forum-outside-supply-chain = Of which outside the probation supply chain
forum-members-lead = The forum's make-up as a whole, then each member organisation.
forum-member-size = Size
forum-member-led-by = Led by and for
forum-member-themes = Works on
forum-minutes-pages = Approved minutes, page by page
forum-minutes-newest = Newest minutes
forum-minutes-older = Older minutes
forum-responses = Consultation responses
forum-no-responses = The forum has not submitted a consultation response yet.
forum-response-body = Consulted by
forum-response-submitted = Submitted
forum-response-reference = Sent as
size-band-micro = Micro (income under £10,000)
size-band-small = Small (under £100,000)
size-band-medium = Medium (under £1 million)
size-band-large = Large (under £10 million)
size-band-major = Major (£10 million or more)
forum-meetings = Meetings to come
forum-no-meetings = No meetings are scheduled.
forum-no-agenda = The agenda is not agreed yet.
forum-minutes = Approved minutes
forum-no-minutes = No minutes have been approved yet.
forum-terms = Terms of reference
forum-follow = Follow this forum
forum-minutes-feed = Approved minutes (Atom feed)
forum-meetings-feed = Meetings to come (Atom feed)
forum-calendar = Meetings calendar (iCalendar)

## Minutes
minutes-title = Minutes
minutes-back = Back to the forum

## Themes by region
themes-title = Themes by region
themes-lead = Each region's current Reducing Reoffending Plan, counted by theme: the number of its commitments under each theme, and below it the actions behind them. The darker a cell, the more commitments.
themes-caption = Commitments and actions of each region's current plan, by theme
themes-actions = actions
home-themes = Compare the regions theme by theme

## Funding opportunities
region-opportunities = Funding opportunities
region-opportunities-pages = Funding opportunities, page by page
region-opportunities-more = More opportunities
region-opportunities-first = First opportunities
region-opportunities-filter = Filter opportunities
region-no-opportunities = No funding opportunities match.
filter-any = Any
filter-apply = Apply filters
filter-status = Status
filter-mechanism = Mechanism
filter-theme = Theme
filter-led-by-and-for = Led by and for
opportunity-title = Opportunity
opportunity-closes = Closes
opportunity-status-upcoming = Upcoming
opportunity-status-open = Open
opportunity-status-closed = Closed
opportunity-status-awarded = Awarded
opportunity-status-withdrawn = Withdrawn
mechanism-grant = Grant
mechanism-contract = Contract
mechanism-co-commission = Co-commission
mechanism-dynamic-framework = Dynamic framework
led-by-and-for-racially-minoritised-people = Racially minoritised people
led-by-and-for-women = Women
led-by-and-for-lived-experience = People with lived experience
led-by-and-for-young-people = Young people
led-by-and-for-lgbtq = LGBTQ+ people
led-by-and-for-disabled-people = Disabled people

## Signing in, and the account
nav-label = Convene
nav-account = Your account
banner-success = Success
error-prefix = Error
error-summary-title = There is a problem
password-hint = At least 12 characters. A few words you will remember make a good password.
field-email = Email address
field-password = Password
field-display-name = Your name
field-token = Code from the email
field-current-password = Current password
field-new-password = New password
field-new-email = New email address
sign-in-title = Sign in
sign-in-button = Sign in
sign-in-forgotten = I have forgotten my password
sign-in-register = Create an account
sign-in-signed-out = You have signed out.
sign-out = Sign out
sign-out-title = Sign out of Convene
register-title = Create an account
register-lead = Forum officers, the people of member organisations and the Regional Probation Director's staff each have an account of their own.
register-email-hint = We will email a link to this address to confirm it is yours.
register-button = Create account
register-have-account = I already have an account
register-sent-title = Check your email
register-sent-body = We have emailed { $email }. Follow the link in that email to confirm the address, then sign in. If the address already has an account, the email says how to use it.
check-email-spam = The email can take a few minutes to arrive. If it does not, check your spam or junk folder.
confirm-email-title = Confirm your email address
confirm-email-lead = Confirm that this address is yours, so that Convene can send you your forums' news.
confirm-email-button = Confirm my email address
confirm-email-done-title = Email address confirmed
confirm-email-done-body = Your address is confirmed. You can now sign in.
done-to-sign-in = Sign in
done-to-account = Go to your account
reset-title = Reset your password
reset-lead = Enter the email address of your account. We will email you a link to choose a new password.
reset-button = Send the email
reset-sent-title = Check your email
reset-sent-body = If { $email } has an account, we have emailed it a link to choose a new password. The link works for 30 minutes.
new-password-title = Choose a new password
new-password-lead = When you save it, you are signed out everywhere: sign in again with the new password.
new-password-button = Save the new password
reset-done-title = Password changed
reset-done-body = Your new password is saved and every session of your account has ended. Sign in with the new password.
account-title = Your account
account-change-name = Change your name
account-save-name = Save your name
account-change-email = Change your email address
account-email-lead = Your address is { $email }. We will email the new address a link to confirm that it is yours; your address changes only when you follow it, and we will tell { $email } that you asked.
account-save-email = Send the confirmation email
email-change-sent-title = Check your email
email-change-sent-body = We have emailed { $email } a link to confirm that it is yours. Follow it within 24 hours; until then your account keeps { $current }. If { $email } already has an account, nothing changes and the email tells its owner so.
confirm-email-change-title = Confirm your new email address
confirm-email-change-lead = Confirm that this address is yours, and your account's email address will change to it. Your account's other sessions will end.
confirm-email-change-button = Change my email address
confirm-email-change-done-title = Email address changed
confirm-email-change-done-body = Your account's email address is changed and confirmed: sign in with it from now on. Your account's other sessions have ended.
account-change-password = Change your password
account-password-lead = Your other sessions end when you change it; this one stays signed in.
account-save-password = Save your password
account-sessions = Where you are signed in
account-sessions-lead = Each browser and each API client you have signed in with. Sign out of any you do not recognise, or everywhere at once.
account-sessions-more = More sessions
account-session-device = Browser or client
account-session-started = Signed in
account-session-actions = Actions
account-session-this = This browser
account-session-api = An API client
account-session-browser-on = { $browser } on { $system }
account-session-unknown-browser = An unknown browser
account-sign-out-everywhere = Sign out everywhere
account-done-name = Your name is saved.
account-done-password = Your password is changed. Your other sessions have ended.
account-done-session = That session has ended.
account-notifications = What we tell you
account-notifications-lead = Choose, for each kind of news, whether we email you as it happens, in one email a day, or not at all.
account-notifications-link = Choose what we email you
account-calendar = Your calendar feeds
account-calendar-lead = Subscribe to your forums' meetings from a calendar app.
account-calendar-link = See your calendar feed addresses
warning = Warning
notifications-title = What we tell you
notifications-lead = For each kind of news: an email as it happens, in the one email we send a day, or nothing. Emails about your own account (signing in, your address, your password) are always sent.
notifications-save = Save what we tell you
notifications-done = What we tell you is saved.
notification-mode-immediate = As it happens
notification-mode-daily-digest = In the daily email
notification-mode-off = Not at all
notification-kind-meeting-scheduled = A meeting is scheduled
notification-kind-meeting-rescheduled = A meeting is moved
notification-kind-meeting-cancelled = A meeting is cancelled
notification-kind-minutes-approved = Minutes are approved
notification-kind-issue-raised = An issue is raised
notification-kind-issue-acknowledged = An issue is acknowledged
notification-kind-issue-responded = An issue is answered
notification-kind-issue-reopened = An issue is reopened
notification-kind-issue-closed = An issue is closed
notification-kind-action-assigned = An action is given to your organisation
notification-kind-action-progress-logged = Progress is logged on an action
notification-kind-action-moved = An action's status changes
notification-kind-commitment-status-changed = A commitment of the plan changes status
notification-kind-agenda-item-proposed = An agenda item is proposed
notification-kind-agenda-item-decided = A proposed agenda item is accepted or declined
notification-kind-membership-applied = An organisation applies to join
notification-kind-membership-decided = An application to join is decided
notification-kind-role-given = You are given a role
notification-kind-role-removed = A role of yours is removed
notification-kind-action-due-soon = An action is due within 7 days
notification-kind-action-due-today = An action is due today
notification-kind-action-overdue = An action is overdue
notification-kind-issue-response-due-soon = An answer to an issue is due within 3 days
notification-kind-issue-response-overdue = An answer to an issue is overdue
notification-kind-meeting-tomorrow = A meeting is tomorrow
notification-kind-meeting-rsvp-closing = Replies to a meeting close soon
notification-kind-consultation-registered = A consultation is registered
notification-kind-consultation-contributions-closing = Contributions to a consultation close soon
notification-kind-consultation-closing = A consultation closes soon
notification-kind-poll-opening = A poll opens
notification-kind-poll-closing = A poll closes soon
notification-kind-webhook-disabled = An integration's webhook is turned off
calendar-feed-title = Your calendar feeds
calendar-feed-lead = Add an address to your calendar app (as a calendar you subscribe to) to see that forum's meetings there, kept up to date.
calendar-feed-secret = Keep these addresses to yourself: anyone who has one sees the forum's meetings.
calendar-feed-none = You take part in no forum yet, so there is no feed to subscribe to.
calendar-feed-renew = Make a new address
calendar-feed-renew-lead = If an address has been shared by mistake, make new ones: the old addresses stop working at once, and you subscribe again with the new ones.
calendar-feed-renew-button = Make new addresses
calendar-feed-renewed = Your calendar feeds have new addresses. The old ones no longer work.
forbidden-title = You cannot do that
forbidden-elsewhere = The form you sent came from another website, so Convene did not act on it.
forbidden-form = This form has expired: you may have signed in or out since it was shown. Go back, reload the page and try again.
forbidden-not-allowed = You do not have permission to do that.
unsent-title = Your changes have not been saved yet
unsent-signed-out = You were signed out before you sent them. Nothing you typed is lost: sign in and you can send it.
unsent-signed-in = The page you sent them from belonged to an earlier sign-in, so Convene did not act on them. Nothing you typed is lost: send it again. If someone else has changed the same record since you opened it, you will be shown both versions.
unsent-sign-in-button = Sign in
unsent-send-button = Send your changes
unsent-typed = What you typed

## Deadlines, as tags
due-overdue = { $count ->
    [one] 1 day overdue
   *[other] { $count } days overdue
}
due-today = Due today
due-in = { $count ->
    [one] Due tomorrow
   *[other] Due in { $count } days
}

## Roles and statuses, as the pages name them
role-secretary = Secretary
role-chair = Chair
role-member = Member
role-rpd-staff = RPD staff
role-observer = Observer
issue-status-open = Not yet acknowledged
issue-status-acknowledged = Acknowledged, not yet answered
issue-status-responded = Answered
issue-status-closed = Closed
consultation-status-open = Open for contributions
consultation-status-drafting = Drafting the response
consultation-status-agreed = Response agreed
consultation-status-submitted = Response submitted
consultation-status-withdrawn = Withdrawn

## Your forums: the officers' dashboard
nav-your-forums = Your forums
nav-your-work = Your organisation's work
dashboard-title = Your forums
dashboard-none = You are not the secretary or chair of any forum. Forum officers see here what needs doing in their forum.
dashboard-nothing-to-do = Nothing to do
dashboard-to-decide = { $count ->
    [one] 1 to decide
   *[other] { $count } to decide
}
dashboard-due-soon = { $count ->
    [one] 1 due soon
   *[other] { $count } due soon
}
dashboard-overdue = { $count ->
    [one] 1 overdue
   *[other] { $count } overdue
}
dashboard-awaiting = { $count ->
    [one] 1 awaiting an answer
   *[other] { $count } awaiting an answer
}
dashboard-underway = { $count ->
    [one] 1 underway
   *[other] { $count } underway
}
dashboard-open = { $count ->
    [one] 1 open
   *[other] { $count } open
}
dashboard-task-applications = Applications to join
dashboard-task-actions = Actions overdue or due within 14 days
dashboard-task-issues = Issues awaiting the RPD's team
dashboard-task-consultations = Consultations
dashboard-task-polls = Polls
dashboard-next-meeting = Next meeting
dashboard-no-meeting = No meeting is scheduled.
dashboard-replies-key = Replies
dashboard-replies = { $yes } coming, { $maybe } maybe, { $no } not coming
dashboard-agenda-key = Agenda
dashboard-agenda-items = { $count ->
    [one] 1 item
   *[other] { $count } items
}
dashboard-agenda-proposed = { $count ->
    [one] 1 proposed item to accept or decline
   *[other] { $count } proposed items to accept or decline
}
dashboard-agenda-with-proposals = { $items }; { $proposed }
dashboard-papers-key = Papers
dashboard-papers = { $count ->
    [0] No papers
    [one] 1 paper
   *[other] { $count } papers
}
dashboard-matters-key = Matters arising
dashboard-matters = { $count ->
    [0] None
    [one] 1 matter arising
   *[other] { $count } matters arising
}
dashboard-applications = Applications awaiting a decision
dashboard-no-applications = No applications are waiting.
dashboard-applied = applied { $date }
dashboard-actions = Actions overdue or due within 14 days
dashboard-no-actions = No action is overdue or due within 14 days.
dashboard-no-owner = No owner
dashboard-issues = Issues awaiting the RPD's team
dashboard-no-issues = No issue is awaiting an answer.
dashboard-consultations = Consultations underway
dashboard-no-consultations = No consultation is underway.
dashboard-polls = Polls open
dashboard-no-polls = No poll is open.
dashboard-poll-closes = closes { $when }

## Members and roles
membership-status-applied = Applied
membership-status-active = Active
membership-status-rejected = Declined
membership-status-suspended = Suspended
membership-status-left = Left
members-title = Member organisations
members-filter = Filter the list
members-filter-any = Any
field-status = Status
field-size-band = Size
field-led-by-and-for = Led by and for
field-theme = Theme
members-apply-filters = Show these members
members-none = No member organisation matches these filters.
members-table = Member organisations
members-organisation = Organisation
members-status = Status
members-pages = Pages of member organisations
members-first = First page
members-next = Next page
applications-title = Applications to join
applications-none = No application is waiting for a decision.
applications-decide = Decide
applications-applied = Applied on
applications-more = More applications
membership-statement = Why they want to join
membership-reason = Reason given
membership-decision = Your decision
membership-move-active = Make active
membership-move-applied-active = Approve the application
membership-move-applied-rejected = Decline the application
membership-move-suspended-active = Reinstate the membership
membership-move-suspended = Suspend the membership
membership-move-rejected = Decline
membership-move-left = Leave the forum
field-reason = Reason
membership-reason-hint = Required to suspend; the organisation is told it.
membership-save-decision = Save the decision
membership-decided = The decision is saved.
roles-title = Roles
roles-held = Who holds a role
roles-person = Person
roles-role = Role
roles-actions = Change or remove
roles-new-role-of = New role of
roles-change = Change role
roles-remove = Remove role
roles-give = Give someone a role
roles-give-lead = People of the forum's member organisations who hold no role in it yet.
roles-choose-person = Choose a person
field-user-id = Person
field-role = Role
roles-give-button = Give the role
roles-done-given = The role is given.
roles-done-changed = The role is changed.
roles-done-removed = The role is removed.
role-hint-secretary = Runs the forum: members, meetings, agendas, minutes.
role-hint-chair = Chairs the meetings and approves the minutes.
role-hint-member = Speaks for their organisation: proposes items, raises issues, votes.
role-hint-rpd-staff = Of the Regional Probation Director's team: answers issues.
role-hint-observer = Reads the forum's records and watches; does not vote or propose.

## Consultations, as their officers run them
consultation-new-title = Register a consultation
field-title = Title
field-consulting-body = Who is consulting
consultation-body-hint = For example, Ministry of Justice or HM Prison and Probation Service.
field-source-url = Where it is published (web address)
field-description = What it is about
field-closes-on = The consultation closes on
field-internal-deadline = Contributions to the forum close on
consultation-deadline-hint = The forum's own deadline, on or before the consultation closes.
field-questions = Questions
consultation-questions-hint = One question a line, in order.
field-word-limit = Most words an answer may have
consultation-word-limit-hint = Optional: the limit of each contribution and of the joint answer.
consultation-register = Register the consultation
consultation-published = published here
consultation-question = Question
consultation-word-limit = { $count ->
    [one] Answers of at most 1 word.
   *[other] Answers of at most { $count } words.
}
consultation-contributions = What members said
consultation-no-contributions = No member organisation has contributed to this question yet.
consultation-joint-answer = The forum's answer
consultation-no-answer = Not written yet.
consultation-answer-by = last saved by { $name }, { $when }
field-answer = Answer
consultation-your-answer = Your answer, as you wrote it
consultation-their-answer = The answer as it is saved now
consultation-cites = The contributions it draws on
consultation-save-answer = Save the answer
consultation-answer-stale = Someone else saved this answer since you opened the page
consultation-answer-changed = Changed by { $by } since you opened it. Their answer is shown above yours: merge the two and save again.
consultation-poll = The members' poll
consultation-poll-lead = Ask the members whether they agree the forum's response. It must be agreed before it is submitted.
consultation-poll-closes-hint = The poll closes at 5pm on this day.
consultation-poll-button = Put the response to the members
consultation-poll-question = Do we agree the forum's response to "{ $title }"?
consultation-move = Move the consultation on
consultation-move-open = Open it again for contributions
consultation-move-drafting = Close contributions and draft the response
consultation-move-agreed = The response is agreed
consultation-move-submitted = The response is submitted
consultation-move-withdrawn = Withdraw: the forum will not respond
field-submitted-on = Submitted on
consultation-submitted-hint = When the response is submitted.
field-submission-reference = Reference the consulting body gave
field-withdrawn-reason = Why the forum is withdrawing
consultation-move-button = Save
consultation-done-answer = The answer is saved.
consultation-done-status = The consultation has moved on.
consultation-done-poll = The response is put to the members' poll.
consultation-done-contribution = Your organisation's contribution is saved.
consultation-contribute-until = Your organisation can contribute, and change what it wrote, until the end of { $date }.
consultation-your-contribution = Your organisation's contribution
consultation-save-contribution = Save the contribution
consultation-contribution-changed = Someone of your organisation saved this contribution since you opened the page. Theirs is shown above among the contributions; yours is kept here: merge the two and save again.
consultation-contribution-limit = { $count ->
    [one] You can enter up to 1 word
   *[other] You can enter up to { $count } words
}
# The design system's live word count, its placeholder %{"{"}count{"}"} filled in as the person types.
consultation-words-under-limit-one = You have %{"{"}count{"}"} word remaining
consultation-words-under-limit-other = You have %{"{"}count{"}"} words remaining
consultation-words-at-limit = You have 0 words remaining
consultation-words-over-limit-one = You have %{"{"}count{"}"} word too many
consultation-words-over-limit-other = You have %{"{"}count{"}"} words too many
## The officers' minutes pages: the editor, its conflicts, the versions
conflict-changed = Changed by { $name } at { $time } since you opened it
conflict-changed-unknown = Changed by someone else since you opened it
conflict-someone = someone else
conflict-theirs = Their version, as saved
conflict-theirs-lead = This is what is saved now. Nothing of it is lost.
conflict-yours = Your version
conflict-yours-lead = Your text is kept here. Copy in what you want to keep of theirs, then save the merged minutes.
minutes-edit-title = Edit the minutes
minutes-edit-draft-heading = Draft from the agenda
minutes-edit-draft-lead = Start from the meeting's record: who attended, matters arising, and a section for each agenda item with its decision. Each item's section is as confidential as the item.
minutes-edit-draft-button = Draft the minutes from the agenda
minutes-edit-by-hand = Or write them yourself
minutes-edit-versions-link = Compare versions of these minutes
minutes-edit-section = Section { $number }
minutes-edit-heading = Heading
minutes-edit-body = Text
minutes-edit-visibility = Who may read it
minutes-edit-visibility-reason = Why it is not public
minutes-edit-agenda-item-id = Agenda item
minutes-edit-reason-hint = Leave empty if it is public. Everyone who may not read it sees only this reason.
minutes-edit-visibility-public = Everyone (public)
minutes-edit-visibility-participants = The forum's participants
minutes-edit-visibility-officers = The forum's officers
minutes-edit-item-public = everyone
minutes-edit-item-participants = the forum's participants
minutes-edit-item-officers = the forum's officers
minutes-edit-item-hint = Records the agenda item “{ $title }”, which is for { $visibility }: this section may not be more open.
minutes-edit-remove = Remove section { $number }
minutes-edit-add = Add a section
minutes-edit-save = Save the minutes
minutes-edit-save-merged = Save the merged minutes
minutes-edit-error-sections = The minutes { $message }
minutes-edit-done-saved = The minutes are saved.
minutes-edit-done-drafted = The minutes are drafted from the agenda. Check each section, then save.
minutes-edit-approve-heading = Approve the minutes
minutes-edit-approve-lead = Approved minutes are published on the forum's page and can no longer be changed. Sections that are not public show only their reason.
minutes-edit-approve-button = Approve and publish the minutes
minutes-revisions-title = Versions of the minutes
minutes-revisions-back = Back to the minutes
minutes-revisions-list = Every version
minutes-revisions-version = Version { $number }
minutes-revisions-version-col = Version
minutes-revisions-by = Saved by
minutes-revisions-at = Saved
minutes-revisions-compare = Compare two versions
minutes-revisions-from = From
minutes-revisions-to = To
minutes-revisions-compare-button = Compare
minutes-revisions-difference = What changed
minutes-revisions-same = These versions are the same.
minutes-revisions-added = Added
minutes-revisions-removed = Removed
## The meeting page and its agenda's forms (/forums/{id}/meetings/{meeting_id})
meeting-when = When
meeting-to = to
meeting-where = Where
meeting-online = Online
meeting-rsvps = Replies so far
meeting-rsvp-yes = Coming
meeting-rsvp-maybe = Maybe
meeting-rsvp-no = Not coming
meeting-status-held = Held
meeting-status-cancelled = Cancelled
meeting-agenda = Agenda
meeting-agenda-empty = Nothing is on the agenda yet.
meeting-warning = Warning
meeting-timing = { $allotted } of the meeting's { $length } minutes allotted.
meeting-item-minutes-allotted = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}
meeting-item-time = Time
meeting-presenter = Presenter
meeting-commitments = Commitments
meeting-restricted-participants = Participants only: { $reason }
meeting-restricted-officers = Officers only: { $reason }
meeting-item-edit = Edit
meeting-item-poll = Put a poll to the forum
meeting-move-up = Move up
meeting-move-down = Move down
meeting-proposals = Proposed items
meeting-proposed-by = Proposed by
meeting-accept = Accept
meeting-decline = Decline
meeting-declined = Declined items
meeting-matters = Matters arising
meeting-matters-empty = There are no matters arising.
meeting-matters-refresh = Bring matters arising up to date
meeting-matter-action = Action
meeting-matter-issue = Issue
meeting-matter-agenda-item = Carried over
meeting-matter-dropped = Dropped: { $reason }
meeting-matter-reason = Reason for dropping it
meeting-matter-drop = Drop
meeting-papers = Papers
meeting-papers-none = No papers for the meeting as a whole yet.
meeting-pack = Download the meeting pack (zip)
meeting-paper-upload = Upload a paper
meeting-paper-title = Title of the paper
meeting-paper-for = What it is for
meeting-paper-whole-meeting = The meeting as a whole
meeting-paper-file = File
meeting-paper-button = Upload the paper
meeting-add-item = Add an item
meeting-add-item-button = Add the item
meeting-propose-item = Propose an item
meeting-propose-item-button = Propose the item
meeting-item-title = Title
meeting-item-description = Description (optional)
meeting-item-description-hint = What the forum will discuss or decide.
meeting-item-presenter = Presenter (optional)
meeting-item-minutes = Minutes allotted (optional)
meeting-item-minutes-hint = A whole number of minutes, up to 480.
meeting-item-commitments = Commitments of the region's plan (optional)
meeting-item-commitments-hint = Select the commitments this item is about.
meeting-item-visibility = Who may read it
meeting-visibility-public = Everyone
meeting-visibility-participants = The forum's participants only
meeting-visibility-officers = The forum's officers only
meeting-item-reason = Why it is not public
meeting-item-reason-hint = Needed unless everyone may read it; shown to those who may not.
meeting-item-edit-title = Edit agenda item: { $title }
meeting-item-save = Save the item
meeting-back = Back to the meeting
meeting-theirs = Their version
meeting-theirs-lead = This is the item as it is saved now. Your text is kept in the form below: merge the two there, and save.
meeting-yours = Your version
meeting-order-stale = The agenda has changed since you opened it. It is shown here as it is now: move the item again.
meeting-proposal-stale = This proposal was changed since you opened the page. It is shown here as it is now: decide again.
meeting-done-item-added = The item is on the agenda.
meeting-done-item-proposed = Your item is proposed. The forum's officers will accept or decline it.
meeting-done-item-saved = The item is saved.
meeting-done-moved = The agenda is in its new order.
meeting-done-accepted = The proposal is accepted: it is at the end of the agenda.
meeting-done-declined = The proposal is declined.
meeting-done-matters-refreshed = Matters arising are up to date.
meeting-done-matter-dropped = The matter is dropped.
meeting-done-paper-added = The paper is uploaded.
## Scheduling: the forum's meetings, scheduling a meeting or a series, changing and cancelling them
scheduling-meetings-title = Meetings
scheduling-schedule-meeting = Schedule a meeting
scheduling-schedule-series = Schedule a series
scheduling-upcoming = Meetings to come
scheduling-past = Meetings in the past year
scheduling-upcoming-pages = Pages of meetings to come
scheduling-past-pages = Pages of past meetings
scheduling-first-later = The soonest meetings
scheduling-next-later = Later meetings
scheduling-first-earlier = The latest meetings
scheduling-next-earlier = Earlier meetings
scheduling-no-upcoming = No meetings are scheduled.
scheduling-no-past = No meetings were held in the past year.
scheduling-when = When
scheduling-meeting = Meeting
scheduling-status = Status
scheduling-actions = Actions
scheduling-in-series = One of a series
scheduling-status-scheduled = Scheduled
scheduling-status-held = Held
scheduling-status-cancelled = Cancelled
scheduling-change = Change
scheduling-cancel = Cancel
scheduling-cancel-series = Cancel the series
scheduling-done-scheduled = The meeting is scheduled and its participants are told.
scheduling-done-series = The series is scheduled and its participants are told of its first meeting.
scheduling-done-changed = The meeting is changed.
scheduling-done-following = The meeting and the following meetings of its series are changed.
scheduling-done-cancelled = The meeting is cancelled and its participants are told why.
scheduling-done-series-cancelled = The series' meetings to come are cancelled and its participants are told why.
scheduling-back-to-meetings = Back to the meetings
scheduling-london-time = On London time, for example 10:00 or 14:30
scheduling-location-hint = Where it happens. Give a location, an online link, or both.
scheduling-description-hint = What the meeting is for (optional).
scheduling-field-title = Title
scheduling-field-description = Description
scheduling-field-date = Date
scheduling-field-starts-at = Starts at
scheduling-field-ends-at = Ends at
scheduling-field-location = Location
scheduling-field-online-link = Online link
scheduling-field-scope = What to change
scheduling-field-starts-on = Starting from
scheduling-field-start-time = Start time
scheduling-field-duration-minutes = Length
scheduling-field-repeat = How often
scheduling-field-ordinal = Which week of the month
scheduling-field-weekday = Day of the week
scheduling-field-weekly-day = Day of the week
scheduling-field-month-day = Day of the month
scheduling-field-interval = Every how many weeks
scheduling-field-ends = When the series ends
scheduling-field-count = Number of meetings
scheduling-field-until = Last date
scheduling-field-reason = Reason
scheduling-new-meeting-title = Schedule a meeting
scheduling-new-meeting-button = Schedule the meeting
scheduling-edit-title = Change a meeting
scheduling-edit-button = Save the changes
scheduling-scope-this = This meeting only
scheduling-scope-following = This meeting and the following meetings of its series
scheduling-scope-following-hint = The series keeps its meetings before this one and carries on from it with these details, time and length.
scheduling-their-version = The meeting as it is now
scheduling-their-version-lead = Someone saved a change while you were editing. Their version is below; yours is kept in the form. Merge them and save again.
scheduling-your-version = Your changes
scheduling-new-series-title = Schedule a series of meetings
scheduling-new-series-lead = Choose how often the forum meets. You will see the dates before anything is scheduled.
scheduling-starts-on-hint = The first meeting is the first date from this one that fits how often the forum meets.
scheduling-duration-60 = 1 hour
scheduling-duration-90 = 1 hour 30 minutes
scheduling-duration-120 = 2 hours
scheduling-duration-150 = 2 hours 30 minutes
scheduling-duration-180 = 3 hours
scheduling-duration-240 = 4 hours
scheduling-repeat-monthly-weekday = Every month on a day of the week, for example the second Tuesday
scheduling-repeat-monthly-day = Every month on the same date, for example day 15
scheduling-repeat-weekly = Every week or every few weeks on a day of the week
scheduling-ordinal-1 = First
scheduling-ordinal-2 = Second
scheduling-ordinal-3 = Third
scheduling-ordinal-4 = Fourth
scheduling-ordinal--1 = Last
scheduling-weekday-MO = Monday
scheduling-weekday-TU = Tuesday
scheduling-weekday-WE = Wednesday
scheduling-weekday-TH = Thursday
scheduling-weekday-FR = Friday
scheduling-weekday-SA = Saturday
scheduling-weekday-SU = Sunday
scheduling-month-day-hint = A day from 1 to 28, which every month has.
scheduling-interval-1 = Every week
scheduling-interval-2 = Every 2 weeks
scheduling-interval-3 = Every 3 weeks
scheduling-interval-4 = Every 4 weeks
scheduling-ends-after = After a number of meetings
scheduling-ends-on = On a date
scheduling-count-hint = Up to 120.
scheduling-until-hint = No meeting is made after it.
scheduling-preview-button = Check the dates
scheduling-preview-title = Check the meetings' dates
scheduling-preview-lead = { $count ->
    [one] This makes 1 meeting, on London time:
   *[other] This makes { $count } meetings, on London time:
}
scheduling-preview-later = { $count ->
    [one] 1 more meeting is made when it is a year away.
   *[other] { $count } more meetings are made as each comes within a year.
}
scheduling-save-series = Schedule these meetings
scheduling-change-series = Change
scheduling-reason-hint = The participants are told this reason.
scheduling-cancel-meeting-title = Cancel a meeting
scheduling-cancel-meeting-button = Cancel the meeting
scheduling-cancel-series-title = Cancel a series
scheduling-cancel-series-button = Cancel the series' meetings to come
## After the meeting: attendance, marking it held, outcomes and the actions agreed (after_meeting pages), and the forum's actions (forum_actions)
after-meeting-back = Back to the meeting
attendance-title = Attendance
attendance-who = Who attended
attendance-lead = Tick everyone who came. Apologies already sent are kept for anyone not ticked.
attendance-attended = Attended
attendance-apologies = Sent apologies
attendance-organisations = Organisations represented
attendance-represented = Which organisations
attendance-none-represented = None yet
attendance-no-organisation = Not with an organisation
attendance-sent-apologies = Sent apologies
attendance-save = Save attendance
attendance-none-recorded = Nobody recorded as attending.
attendance-merge = Your ticks are in the form below. Put the two together there, then save again.
attendance-not-open = Attendance can be recorded once the meeting has started, and not for a cancelled meeting.
attendance-mark-held = Mark the meeting held
attendance-held-lead = Once the meeting is marked held, you can record what it decided on each item.
attendance-mark-held-button = Mark as held
attendance-held = Held
attendance-to-outcomes = Record the outcomes
attendance-done-saved = Attendance saved.
attendance-done-held = The meeting is marked held.
outcomes-title = Outcomes
outcomes-votes = For: { $for }, against: { $against }, abstained: { $abstain }
outcomes-saved = Outcome saved:
outcomes-not-held = Outcomes are recorded once the meeting is marked held.
outcomes-to-attendance = Record attendance and mark it held
outcomes-no-items = The meeting had no items on its agenda.
outcomes-carried-over = Carried over
outcomes-none-yet = No outcome recorded yet
outcomes-record = Record the outcome
outcomes-change = Change the outcome
outcomes-to-actions = See the forum's actions
outcome-title = Outcome
outcome-back = Back to the outcomes
outcome-their-version = Their version
outcome-merge = Your version is in the form below. Merge the two there, then save again.
outcome-decision-heading = What the meeting decided
outcome-decision-hint = The decision, or what the meeting noted.
outcome-votes = Votes (optional)
outcome-votes-hint = Votes of the member organisations represented.
outcome-carry-over = Carry over to the next meeting
outcome-action-heading = Action agreed on this item (optional)
outcome-action-lead = Leave these empty if no action was agreed.
outcome-no-owner = Choose an organisation
outcome-due-hint = For example, 27 March 2027
outcome-save = Save the outcome
outcome-field-decision = Decision
outcome-field-votes-for = For
outcome-field-votes-against = Against
outcome-field-votes-abstain = Abstained
outcome-field-carried-over = Not reached
outcome-field-title = Action
outcome-field-description = Details of the action
outcome-field-owner-organisation-id = Owner organisation
outcome-field-due-on = Due date
outcome-field-commitment-ids = Commitments of the region's plan it is work towards
forum-actions-title = Actions
forum-actions-owner = Owner organisation
forum-actions-every-owner = Every organisation
forum-actions-filter = Show actions
forum-actions-none = No actions match.
forum-actions-action = Action
forum-actions-owned-by = Owner
forum-actions-due = Due
forum-actions-status = Status
forum-actions-overdue = Overdue
forum-actions-no-owner = No owner
forum-actions-no-due = No due date
forum-actions-first = First page
forum-actions-next = Next page
forum-actions-pages = Pages of actions
forum-actions-status-open = Open
forum-actions-status-in-progress = In progress
forum-actions-status-blocked = Blocked
forum-actions-status-done = Done
forum-actions-status-cancelled = Cancelled
action-origin = Agreed at
action-origin-item = { $item }, at { $meeting } on { $date }
action-origin-withheld = A confidential item, at { $meeting } on { $date }
action-origin-meeting = { $meeting } on { $date }
action-commitments = Commitments it serves
action-commitments-none = It is not linked to any commitment of the region's plan yet.
action-unlink = Unlink
action-link = Link
action-linked = Linked
action-search-label = Find a commitment to link
action-search-hint = A few words or a reference from the region's current plan
action-search = Search the plan
action-search-none = No commitment of the region's current plan matches.
action-progress-heading = Log progress
action-field-status = New status
action-field-body = What has happened
action-body-hint = What was done, and what is next. Everyone in the forum can read it.
action-status-unchanged = Leave it as { $status }
action-save = Save progress
action-log = Progress
action-log-none = No progress has been logged yet.
action-log-note = Progress noted
action-log-older = Older notes are not shown.
action-moved = { $from } to { $to }
action-their-status = Its status now: { $status }
action-their-note = Their note, by { $name }
action-done-logged = Your progress has been saved
action-done-linked = The commitment has been linked
action-done-unlinked = The commitment has been unlinked

## The meeting's cycle, for its officers
meeting-cycle = Running this meeting
meeting-cycle-edit = Change the meeting
meeting-cycle-cancel = Cancel the meeting
meeting-cycle-attendance = Attendance
meeting-cycle-outcomes = Outcomes and actions
meeting-cycle-minutes = The minutes
dashboard-places = Run the forum:
dashboard-place-meetings = Meetings
dashboard-place-actions = Actions

## Polls, as the forum's officers put and run them
poll-new-title = Put a poll to the forum
poll-new-decides = To decide:
poll-new-button = Put the poll to the forum
poll-back-to-meeting = Back to the meeting
poll-field-question = Question
poll-field-description = More about the question (optional)
poll-description-hint = What members need to know to vote. Blank lines start new paragraphs.
poll-field-kind = Kind of poll
poll-kind-agree-disagree-abstain = Agree, disagree or abstain
poll-kind-single-choice = Single choice
poll-kind-multiple-choice = Multiple choice
poll-field-options = Options
poll-options-hint = One option a line, 2 to 20 of them. Only for single choice and multiple choice polls: an agree, disagree or abstain poll has those three.
poll-field-max-choices = Most options a vote may choose (optional)
poll-max-choices-hint = Multiple choice only. Leave empty to let a vote choose every option.
poll-field-opens-on = Opens on (optional)
poll-opens-hint = Leave the date and time empty to open the poll now.
poll-field-opens-time = Opens at (optional)
poll-field-closes-on = Closes on
poll-field-closes-time = Closes at
poll-london-time = London time, for example 17:00
poll-field-results-before-close = Results
poll-results-before-close-box = Show the results while the poll is open
poll-field-open-voting = Open voting
poll-open-voting-box = Use open voting
poll-open-voting-hint = The results then show how each organisation voted, not only which organisations voted.
poll-opening = the opening time
poll-option-line = line { $line } { $message }
poll-status-upcoming = Upcoming
poll-status-open = Open
poll-status-closed = Closed
poll-status-cancelled = Cancelled
poll-done-created = The poll has been put to the forum
poll-done-closes = The poll's closing time has been changed
poll-done-cancelled = The poll has been cancelled
poll-kind = Kind
poll-opens = Opens
poll-closes = Closes
poll-decides = Decides
poll-put-by = Put by
poll-choose-up-to = { $count ->
    [one] choose 1
   *[other] choose up to { $count }
}
poll-cancelled-because = Cancelled:
poll-options = Options
poll-results = Results
poll-results-final = The final results.
poll-results-so-far = The results so far.
poll-results-later = The results are shown once the poll closes.
poll-option = Option
poll-votes = Votes
poll-turnout = { $voted } of { $eligible } member organisations voted ({ $share }).
poll-carried = Carried: more organisations agreed than disagreed.
poll-not-carried = Not carried: no more organisations agreed than disagreed.
poll-who-voted = Who voted
poll-how-they-voted = How each organisation voted
poll-change-closing = Change closing time
poll-later-hint = Once the poll is open, its closing can only be put later.
poll-change-closing-button = Change closing time
poll-cancel = Cancel the poll
poll-field-reason = Why it is cancelled
poll-reason-hint = The forum's participants are told this.
poll-cancel-button = Cancel the poll
poll-vote = Your organisation's vote
poll-field-option = Your vote
poll-your-organisation = your organisation
poll-vote-hint-one = Choose one. You vote for { $organisation }: anyone of it may change the vote until the poll closes, and the last vote counts.
poll-vote-hint-several = Choose one or more. You vote for { $organisation }: anyone of it may change the vote until the poll closes, and the last vote counts.
poll-vote-button = Cast the vote
poll-change-vote-button = Change the vote
poll-voted = Your organisation voted: { $chose }. Cast by { $by }, { $when }.
poll-someone = someone no longer named
poll-done-voted = Your organisation's vote has been cast
polls-title = Polls
polls-status = Status
polls-every-status = Every status
polls-filter = Show polls
polls-none = No polls match.
polls-question = Question
polls-closes = Closes
polls-first = First page
polls-next = Next page
polls-pages = Pages of polls

## Your organisation's work
work-title = Your organisation's work
work-no-organisation = You are not linked to an organisation. People of a member organisation see here the actions their organisation owns, the issues it raised, the next meetings, consultations, polls and opportunities.
work-no-forum = Your organisation has no forum you take part in yet. Once it is an active member of a forum and you have a role in it, its work is shown here.
work-actions = Actions your organisation owns
work-no-actions = Your organisation owns no action still to do.
work-all-actions = Every action your organisation owns in this forum
work-no-commitment = Not linked to a commitment
work-see-all = { $count ->
    [one] See the 1 action
   *[other] See all { $count } actions
}
work-meetings = Next meetings
work-issues = Issues your organisation raised
work-no-issues = No issue your organisation raised is open.
work-answers = { $count ->
    [0] no answer yet
    [one] 1 answer
   *[other] { $count } answers
}
work-consultations = Consultations open for contributions
work-no-consultations = No consultation is taking contributions.
work-contributions-close = contributions close { $date }
work-contributed = { $count ->
    [one] 1 contribution made
   *[other] { $count } contributions made
}
work-polls = Polls open
work-voted = Voted
work-not-voted = Not voted yet
work-opportunities = Opportunities open in the region
work-no-opportunities = No opportunity is open in the region.
work-opportunity-closes = closes { $date }
work-interested = Interest registered
work-register-interest = Register interest
work-withdraw-interest = Withdraw interest
work-done-interest-registered = Your organisation's interest is registered.
work-done-interest-withdrawn = Your organisation's interest is withdrawn.

## A meeting's one-click answer
rsvp-heading = Will you come?
rsvp-button-yes = Yes, I will come
rsvp-button-maybe = Maybe
rsvp-button-no = No, I cannot come
rsvp-answered-yes = You said you will come.
rsvp-answered-maybe = You said you may come.
rsvp-answered-no = You said you cannot come.
rsvp-not-answered = You have not said whether you will come.
rsvp-done = Your answer is saved.
## Raised issues: the forum's list, raising one, one issue and its answers, and "Awaiting your answer"
upload-hint = Files up to { $size } MB: { $kinds }.
issues-title = Issues raised with the RPD's team
issues-lead = The issues the forum's member organisations have raised with the Regional Probation Director's team, newest first.
issues-raise = Raise an issue
issues-status = Status
issues-every-status = Every status
issues-filter = Show issues
issues-none = No issues match.
issues-issue = Issue
issues-raised-by = Raised by
issues-answer = Answer
issues-first = First page
issues-next = Next page
issues-pages = Pages of issues
issue-priority-low = Low
issue-priority-normal = Normal
issue-priority-high = High
issue-priority-urgent = Urgent
issue-answered-in-time = Answered in time
issue-answered-late = Answered late
issue-reopened = Re-opened
issue-new-title = Raise an issue
issue-new-lead = The RPD's team is asked to answer within the forum's response time. Add any papers that show the issue: they are sent with it.
issue-new-button = Raise the issue
issue-cancel = Cancel
issue-field-title = Title
issue-field-body = What the issue is
issue-field-body-hint = Say what is happening, who it affects and what you would like the RPD's team to do.
issue-field-priority = Priority
issue-field-commitment-ids = Commitments of the region's plan it concerns
issue-field-commitment-ids-hint = Select all that apply.
issue-field-file = Evidence papers
issue-field-file-hint = You can choose several files.
issue-raised-by = Raised by
issue-raised-on = Raised
issue-due-on = Answer due
issue-evidence = Evidence
issue-evidence-none = No evidence papers.
issue-answers = Answers from the RPD's team
issue-answers-none = Not answered yet.
issue-answer-title = Answer the issue
issue-answer-body = Your answer
issue-answer-file-hint = Papers that support your answer. You can choose several files.
issue-answer-button = Send the answer
issue-done-raised = The issue has been raised with the RPD's team
issue-done-answered = Your answer has been sent
awaiting-title = Awaiting your answer
awaiting-lead = Issues your region's forum has raised and not yet had answered, the most overdue first.
awaiting-total = { $count ->
    [one] 1 issue awaits an answer.
   *[other] { $count } issues await an answer.
}
awaiting-none = Every issue raised has been answered.
awaiting-more = Showing the { $shown } due soonest of { $total }: the rest are on the forum's issues list.
awaiting-forums = All of the forum's issues
awaiting-not-theirs = This page is for the Regional Probation Director's team: the RPD staff of a region's forum see here the issues the forum has raised for them to answer. You are not one of a forum's RPD staff. Member organisations follow their issues on the forum's issues page.
awaiting-your-forums = Your forums
