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
