"""Crime-recording decision support: the offence catalogue, crimes proposed from
disclosures by the Counting Rules, people's recording decisions, the 24-hour
rule and the compliance audit."""
