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
region-consultations-answered = Consultations the forum answered
region-consultations-in-time = Of which answered before they closed
region-voice = The forum's voice
region-taking-part = Member organisations that took part in a consultation or poll
region-taking-part-value = { $taking_part } of { $members }
region-voice-window = Taking part is counted over the { $months } months from { $from } to { $to }.
region-funding = Funding awarded
region-awards = Awards
region-awarded-value = Value awarded
region-small-share = Share to small and micro organisations
region-outside-share = Share to organisations outside the probation supply chain
region-figure = Figure
region-value = Value
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
