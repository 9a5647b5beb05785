#pragma once
/// \file cartera.hpp
/// Umbrella header: the whole public API of cartera.

#include "cartera/alerts.hpp"
#include "cartera/assignment.hpp"
#include "cartera/book.hpp"
#include "cartera/calendar.hpp"
#include "cartera/columns.hpp"
#include "cartera/columns_set.hpp"
#include "cartera/error.hpp"
#include "cartera/execution.hpp"
#include "cartera/gap_instances.hpp"
#include "cartera/kmeans.hpp"
#include "cartera/ladder.hpp"
#include "cartera/preview.hpp"
#include "cartera/realignment.hpp"
#include "cartera/routing.hpp"
#include "cartera/rules.hpp"
#include "cartera/segmentation.hpp"
#include "cartera/stages.hpp"
#include "cartera/synthetic.hpp"
#include "cartera/value.hpp"
