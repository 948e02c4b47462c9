package synop

// Code tables of the Manual on Codes (WMO-No. 306), Volume I.1, used for the
// descriptions in Decoded. Wording is shortened where the full text runs to
// several lines; "reserved" entries are nil or empty strings.

// presentWeatherManual is code table 4677, ww.
var presentWeatherManual = [100]string{
	"Cloud development not observed or not observable",
	"Clouds generally dissolving or becoming less developed",
	"State of sky on the whole unchanged",
	"Clouds generally forming or developing",
	"Visibility reduced by smoke",
	"Haze",
	"Widespread dust in suspension in the air, not raised by wind at or near the station",
	"Dust or sand raised by wind at or near the station, no well-developed whirls, no duststorm or sandstorm",
	"Well-developed dust or sand whirl(s) at or near the station, no duststorm or sandstorm",
	"Duststorm or sandstorm within sight, or at the station during the preceding hour",
	"Mist",
	"Patches of shallow fog or ice fog",
	"More or less continuous shallow fog or ice fog",
	"Lightning visible, no thunder heard",
	"Precipitation within sight, not reaching the ground",
	"Precipitation within sight, reaching the ground, distant (more than 5 km)",
	"Precipitation within sight, reaching the ground, near to but not at the station",
	"Thunderstorm, but no precipitation at the time of observation",
	"Squalls at or within sight of the station",
	"Funnel cloud(s) (tornado or waterspout)",
	"Drizzle (not freezing) or snow grains, not as showers, during the preceding hour",
	"Rain (not freezing) during the preceding hour",
	"Snow during the preceding hour",
	"Rain and snow or ice pellets during the preceding hour",
	"Freezing drizzle or freezing rain during the preceding hour",
	"Shower(s) of rain during the preceding hour",
	"Shower(s) of snow, or of rain and snow, during the preceding hour",
	"Shower(s) of hail, or of rain and hail, during the preceding hour",
	"Fog or ice fog during the preceding hour",
	"Thunderstorm during the preceding hour",
	"Slight or moderate duststorm or sandstorm, has decreased during the preceding hour",
	"Slight or moderate duststorm or sandstorm, no appreciable change",
	"Slight or moderate duststorm or sandstorm, has begun or increased",
	"Severe duststorm or sandstorm, has decreased during the preceding hour",
	"Severe duststorm or sandstorm, no appreciable change",
	"Severe duststorm or sandstorm, has begun or increased",
	"Slight or moderate drifting snow, generally low (below eye level)",
	"Heavy drifting snow, generally low (below eye level)",
	"Slight or moderate blowing snow, generally high (above eye level)",
	"Heavy blowing snow, generally high (above eye level)",
	"Fog or ice fog at a distance, not at the station during the preceding hour",
	"Fog or ice fog in patches",
	"Fog or ice fog, sky visible, has become thinner during the preceding hour",
	"Fog or ice fog, sky invisible, has become thinner during the preceding hour",
	"Fog or ice fog, sky visible, no appreciable change",
	"Fog or ice fog, sky invisible, no appreciable change",
	"Fog or ice fog, sky visible, has begun or become thicker",
	"Fog or ice fog, sky invisible, has begun or become thicker",
	"Fog, depositing rime, sky visible",
	"Fog, depositing rime, sky invisible",
	"Drizzle, not freezing, intermittent, slight",
	"Drizzle, not freezing, continuous, slight",
	"Drizzle, not freezing, intermittent, moderate",
	"Drizzle, not freezing, continuous, moderate",
	"Drizzle, not freezing, intermittent, heavy",
	"Drizzle, not freezing, continuous, heavy",
	"Drizzle, freezing, slight",
	"Drizzle, freezing, moderate or heavy",
	"Drizzle and rain, slight",
	"Drizzle and rain, moderate or heavy",
	"Rain, not freezing, intermittent, slight",
	"Rain, not freezing, continuous, slight",
	"Rain, not freezing, intermittent, moderate",
	"Rain, not freezing, continuous, moderate",
	"Rain, not freezing, intermittent, heavy",
	"Rain, not freezing, continuous, heavy",
	"Rain, freezing, slight",
	"Rain, freezing, moderate or heavy",
	"Rain or drizzle and snow, slight",
	"Rain or drizzle and snow, moderate or heavy",
	"Intermittent fall of snowflakes, slight",
	"Continuous fall of snowflakes, slight",
	"Intermittent fall of snowflakes, moderate",
	"Continuous fall of snowflakes, moderate",
	"Intermittent fall of snowflakes, heavy",
	"Continuous fall of snowflakes, heavy",
	"Diamond dust",
	"Snow grains",
	"Isolated star-like snow crystals",
	"Ice pellets",
	"Rain shower(s), slight",
	"Rain shower(s), moderate or heavy",
	"Rain shower(s), violent",
	"Shower(s) of rain and snow mixed, slight",
	"Shower(s) of rain and snow mixed, moderate or heavy",
	"Snow shower(s), slight",
	"Snow shower(s), moderate or heavy",
	"Shower(s) of snow pellets or small hail, slight",
	"Shower(s) of snow pellets or small hail, moderate or heavy",
	"Shower(s) of hail, no thunder, slight",
	"Shower(s) of hail, no thunder, moderate or heavy",
	"Slight rain; thunderstorm during the preceding hour but not now",
	"Moderate or heavy rain; thunderstorm during the preceding hour but not now",
	"Slight snow, rain and snow, or hail; thunderstorm during the preceding hour but not now",
	"Moderate or heavy snow, rain and snow, or hail; thunderstorm during the preceding hour but not now",
	"Thunderstorm, slight or moderate, without hail, with rain and/or snow",
	"Thunderstorm, slight or moderate, with hail",
	"Thunderstorm, heavy, without hail, with rain and/or snow",
	"Thunderstorm combined with duststorm or sandstorm",
	"Thunderstorm, heavy, with hail",
}

// presentWeatherAutomatic is code table 4680, wawa; "" marks reserved codes.
var presentWeatherAutomatic = [100]string{
	0: "No significant weather observed", 1: "Clouds generally dissolving or becoming less developed during the past hour",
	2: "State of sky on the whole unchanged during the past hour", 3: "Clouds generally forming or developing during the past hour",
	4: "Haze, smoke or dust in suspension, visibility 1 km or more", 5: "Haze, smoke or dust in suspension, visibility less than 1 km",
	10: "Mist", 11: "Diamond dust", 12: "Distant lightning", 18: "Squalls",
	20: "Fog during the preceding hour", 21: "Precipitation during the preceding hour",
	22: "Drizzle (not freezing) or snow grains during the preceding hour", 23: "Rain (not freezing) during the preceding hour",
	24: "Snow during the preceding hour", 25: "Freezing drizzle or freezing rain during the preceding hour",
	26: "Thunderstorm during the preceding hour", 27: "Blowing or drifting snow or sand",
	28: "Blowing or drifting snow or sand, visibility 1 km or more", 29: "Blowing or drifting snow or sand, visibility less than 1 km",
	30: "Fog", 31: "Fog or ice fog in patches", 32: "Fog or ice fog, has become thinner during the past hour",
	33: "Fog or ice fog, no appreciable change during the past hour", 34: "Fog or ice fog, has begun or become thicker during the past hour",
	35: "Fog, depositing rime",
	40: "Precipitation", 41: "Precipitation, slight or moderate", 42: "Precipitation, heavy",
	43: "Liquid precipitation, slight or moderate", 44: "Liquid precipitation, heavy",
	45: "Solid precipitation, slight or moderate", 46: "Solid precipitation, heavy",
	47: "Freezing precipitation, slight or moderate", 48: "Freezing precipitation, heavy",
	50: "Drizzle", 51: "Drizzle, not freezing, slight", 52: "Drizzle, not freezing, moderate", 53: "Drizzle, not freezing, heavy",
	54: "Drizzle, freezing, slight", 55: "Drizzle, freezing, moderate", 56: "Drizzle, freezing, heavy",
	57: "Drizzle and rain, slight", 58: "Drizzle and rain, moderate or heavy",
	60: "Rain", 61: "Rain, not freezing, slight", 62: "Rain, not freezing, moderate", 63: "Rain, not freezing, heavy",
	64: "Rain, freezing, slight", 65: "Rain, freezing, moderate", 66: "Rain, freezing, heavy",
	67: "Rain (or drizzle) and snow, slight", 68: "Rain (or drizzle) and snow, moderate or heavy",
	70: "Snow", 71: "Snow, slight", 72: "Snow, moderate", 73: "Snow, heavy",
	74: "Ice pellets, slight", 75: "Ice pellets, moderate", 76: "Ice pellets, heavy", 77: "Snow grains", 78: "Ice crystals",
	80: "Shower(s) or intermittent precipitation", 81: "Rain shower(s) or intermittent rain, slight",
	82: "Rain shower(s) or intermittent rain, moderate", 83: "Rain shower(s) or intermittent rain, heavy",
	84: "Rain shower(s) or intermittent rain, violent", 85: "Snow shower(s) or intermittent snow, slight",
	86: "Snow shower(s) or intermittent snow, moderate", 87: "Snow shower(s) or intermittent snow, heavy",
	89: "Hail", 90: "Thunderstorm", 91: "Thunderstorm, slight or moderate, with no precipitation",
	92: "Thunderstorm, slight or moderate, with rain and/or snow showers", 93: "Thunderstorm, slight or moderate, with hail",
	94: "Thunderstorm, heavy, with no precipitation", 95: "Thunderstorm, heavy, with rain and/or snow showers",
	96: "Thunderstorm, heavy, with hail", 99: "Tornado",
}

// pastWeatherManual is code table 4561, W1 and W2.
var pastWeatherManual = [10]string{
	"Cloud covering half or less of the sky throughout the period",
	"Cloud covering more than half of the sky during part of the period and half or less during part",
	"Cloud covering more than half of the sky throughout the period",
	"Sandstorm, duststorm or blowing snow",
	"Fog or ice fog or thick haze",
	"Drizzle",
	"Rain",
	"Snow, or rain and snow mixed",
	"Shower(s)",
	"Thunderstorm(s) with or without precipitation",
}

// pastWeatherAutomatic is code table 4531, Wa1 and Wa2.
var pastWeatherAutomatic = [10]string{
	"No significant weather observed",
	"Visibility reduced",
	"Blowing phenomena, visibility reduced",
	"Fog",
	"Precipitation",
	"Drizzle",
	"Rain",
	"Snow or ice pellets",
	"Showers or intermittent precipitation",
	"Thunderstorm",
}

// tendencyCharacteristic is code table 0200, a.
var tendencyCharacteristic = [9]string{
	"Increasing, then decreasing; pressure the same or higher than 3 hours ago",
	"Increasing, then steady; or increasing, then increasing more slowly",
	"Increasing (steadily or unsteadily)",
	"Decreasing or steady, then increasing; or increasing, then increasing more rapidly",
	"Steady; pressure the same as 3 hours ago",
	"Decreasing, then increasing; pressure the same or lower than 3 hours ago",
	"Decreasing, then steady; or decreasing, then decreasing more slowly",
	"Decreasing (steadily or unsteadily)",
	"Steady or increasing, then decreasing; or decreasing, then decreasing more rapidly",
}

// cloudGenus is code table 0500, C.
var cloudGenus = [10]string{
	"Cirrus (Ci)", "Cirrocumulus (Cc)", "Cirrostratus (Cs)", "Altocumulus (Ac)", "Altostratus (As)",
	"Nimbostratus (Ns)", "Stratocumulus (Sc)", "Stratus (St)", "Cumulus (Cu)", "Cumulonimbus (Cb)",
}

// lowClouds is code table 0513, CL.
var lowClouds = [10]string{
	"No Sc, St, Cu or Cb",
	"Cumulus humilis or fractus, other than of bad weather",
	"Cumulus mediocris or congestus",
	"Cumulonimbus calvus",
	"Stratocumulus cumulogenitus",
	"Stratocumulus other than cumulogenitus",
	"Stratus nebulosus or fractus, other than of bad weather",
	"Stratus fractus or cumulus fractus of bad weather",
	"Cumulus and stratocumulus with bases at different levels",
	"Cumulonimbus capillatus",
}

// middleClouds is code table 0515, CM.
var middleClouds = [10]string{
	"No Ac, As or Ns",
	"Altostratus translucidus",
	"Altostratus opacus or nimbostratus",
	"Altocumulus translucidus at a single level",
	"Patches of altocumulus translucidus, continually changing",
	"Altocumulus in bands or layers, progressively invading the sky",
	"Altocumulus cumulogenitus or cumulonimbogenitus",
	"Altocumulus in two or more layers, or with altostratus or nimbostratus",
	"Altocumulus castellanus or floccus",
	"Altocumulus of a chaotic sky",
}

// highClouds is code table 0509, CH.
var highClouds = [10]string{
	"No Ci, Cc or Cs",
	"Cirrus fibratus or uncinus, not invading the sky",
	"Cirrus spissatus, castellanus or floccus",
	"Cirrus spissatus cumulonimbogenitus",
	"Cirrus uncinus or fibratus progressively invading the sky",
	"Cirrus and cirrostratus invading the sky, veil below 45° above the horizon",
	"Cirrus and cirrostratus invading the sky, veil above 45° but sky not covered",
	"Cirrostratus covering the whole sky",
	"Cirrostratus not invading the sky and not covering it entirely",
	"Cirrocumulus alone or predominant",
}

const cloudsInvisible = "Clouds not visible owing to darkness, fog, dust or sand, or a continuous lower layer"

// groundState is code table 0901, E.
var groundState = [10]string{
	"Surface of ground dry",
	"Surface of ground moist",
	"Surface of ground wet (standing water)",
	"Flooded",
	"Surface of ground frozen",
	"Glaze on ground",
	"Loose dry dust or sand not covering ground completely",
	"Thin cover of loose dry dust or sand covering ground completely",
	"Moderate or thick cover of loose dry dust or sand covering ground completely",
	"Extremely dry with cracks",
}

// snowGroundState is code table 0975, E'.
var snowGroundState = [10]string{
	"Ground predominantly covered by ice",
	"Compact or wet snow covering less than half of the ground",
	"Compact or wet snow covering at least half of the ground, not completely",
	"Even layer of compact or wet snow covering ground completely",
	"Uneven layer of compact or wet snow covering ground completely",
	"Loose dry snow covering less than half of the ground",
	"Loose dry snow covering at least half of the ground, not completely",
	"Even layer of loose dry snow covering ground completely",
	"Uneven layer of loose dry snow covering ground completely",
	"Snow covering ground completely; deep drifts",
}

// precipitationIndicator is code table 1819, iR.
var precipitationIndicator = [5]string{
	"Precipitation groups in sections 1 and 3",
	"Precipitation group in section 1",
	"Precipitation group in section 3",
	"Precipitation groups omitted: amount is zero",
	"Precipitation groups omitted: amount not available",
}

// stationOperation is code table 1860, ix (index 0 unused).
var stationOperation = [8]string{
	"",
	"Manned station, weather group included",
	"Manned station, weather group omitted (no significant phenomenon)",
	"Manned station, weather group omitted (not observed, data not available)",
	"Automatic station, weather group included (code tables 4677 and 4561)",
	"Automatic station, weather group omitted (no significant phenomenon)",
	"Automatic station, weather group omitted (not observed, data not available)",
	"Automatic station, weather group included (code tables 4680 and 4531)",
}

// evaporationInstrument is code table 1806, iE.
var evaporationInstrument = [10]string{
	"USA open pan evaporimeter (without cover)",
	"USA open pan evaporimeter (mesh covered)",
	"GGI-3000 evaporimeter (sunken)",
	"20 m² tank",
	"Other evaporimeter",
	"Rice (evapotranspiration)",
	"Wheat (evapotranspiration)",
	"Maize (evapotranspiration)",
	"Sorghum (evapotranspiration)",
	"Other crops (evapotranspiration)",
}

// directions is code table 0700, D; degrees are 0 for "no direction".
var directions = [10]struct {
	deg  int
	text string
}{
	{0, "Calm or stationary, or no clouds"}, {45, "NE"}, {90, "E"}, {135, "SE"}, {180, "S"},
	{225, "SW"}, {270, "W"}, {315, "NW"}, {360, "N"}, {0, "All directions, unknown, or clouds invisible"},
}

// elevationAngle is code table 1004, eC.
var elevationAngle = [10]string{
	"Top of cloud not visible", "45°", "30°", "20°", "15°", "12°", "9°", "7°", "6°", "Less than 5°",
}

// supplementaryClasses names the decades of code table 3778 (9SpSpspsp) for
// the groups that are kept uninterpreted.
var supplementaryClasses = [10]string{
	"time and variability",
	"wind and squall",
	"state of the sea, icing and snow cover",
	"amount of precipitation or deposit",
	"clouds",
	"cloud conditions over mountains and passes or in valleys",
	"present and past weather",
	"location and movement of phenomena",
	"visibility",
	"optical phenomena and miscellaneous",
}

// supplementaryNames are the 3778 groups named individually.
var supplementaryNames = map[string]string{
	"900": "time of commencement of the present weather",
	"901": "time of ending of the present weather",
	"902": "time of commencement of the phenomenon in the following group",
	"903": "time of ending of the phenomenon in the following group",
	"904": "time of occurrence of the phenomenon in the following group",
	"905": "duration of the phenomenon in the following group",
	"906": "time of rapid change of the phenomenon in the following group",
	"909": "time at which precipitation began or ended, and its duration and character",
	"914": "wind speed (see regional practice)",
	"916": "veering of wind",
	"917": "backing of wind",
	"918": "nature of the squall or wind change",
	"919": "waterspout, tornado, whirlwind or dust devil",
}
